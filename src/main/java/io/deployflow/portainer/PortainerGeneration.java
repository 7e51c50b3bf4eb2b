package io.deployflow.portainer;

import io.deployflow.release.SemVer;

/**
 * The two ways Portainer runs a stack deploy, told apart by its version ({@code GET /api/system/status}).
 * <ul>
 *   <li><b>Synchronous</b> (2.19 to 2.39): {@code PUT /api/stacks/{id}} and the create call run compose inside the
 *   request. A failed deploy answers 500 with compose's error, and the stack record keeps the new file and
 *   variables only when the deploy worked. There is no "deploying" status and no 409: two requests run two
 *   deploys side by side. {@code Prune} is ignored for compose stacks (only swarm stacks read it).
 *   (api/http/handler/stacks/stack_update.go, updateComposeStack/updateSwarmStack, tags 2.19.0 to 2.23.0; still so
 *   in 2.39.6 as reported in portainer/terraform-provider-portainer#145.)</li>
 *   <li><b>Asynchronous</b> (from the change "change stack update flow to async model", in 2.45.0): the request
 *   saves the file and variables, marks the stack deploying (status 3) and answers at once; the deploy runs in the
 *   background and ends in status 1 or 4, the failure's message in {@code DeploymentStatus[].Message}. A write
 *   while the stack deploys answers 409 "Stack deployment is already in progress". {@code Prune} is honoured for
 *   compose stacks too. (stack_update.go, updateStackInTx and stackDeploy; stackutils/stack_status.go,
 *   PrepareStackStatusForDeployment and UpdateStackStatusFromDeploymentResult; newest handlers.)</li>
 * </ul>
 * Versions 2.40 to 2.44 are counted as asynchronous: waiting on "deploying" and reading DeploymentStatus is also
 * right for a server that deploys synchronously, since such a server never reports either.
 */
public enum PortainerGeneration {
    SYNCHRONOUS("synchronous", "deploys inside the request; a failed deploy answers 500 and is never sent again;"
            + " Prune is ignored for compose stacks"),
    ASYNCHRONOUS("asynchronous", "deploys in the background; deployflow waits while the stack is deploying (409)"
            + " and reads the outcome from its DeploymentStatus"),
    /** The version could not be read (a proxy hides it): handled as asynchronous, which is safe for both. */
    UNKNOWN("unknown", "version unknown; handled as asynchronous, which is also safe for a synchronous server");

    static final SemVer OLDEST_SUPPORTED = new SemVer(2, 19, 0, null, null);
    private static final SemVer FIRST_ASYNCHRONOUS = new SemVer(2, 40, 0, null, null);

    private final String label;
    private final String behaviour;

    PortainerGeneration(String label, String behaviour) {
        this.label = label;
        this.behaviour = behaviour;
    }

    static PortainerGeneration of(String version) {
        if (version == null) {
            return UNKNOWN;
        }
        return SemVer.tryParse(version.strip()).map(v -> v.compareTo(FIRST_ASYNCHRONOUS) < 0 ? SYNCHRONOUS
                : ASYNCHRONOUS).orElse(UNKNOWN);
    }

    static boolean olderThanSupported(String version) {
        return version != null && SemVer.tryParse(version.strip()).map(v -> v.compareTo(OLDEST_SUPPORTED) < 0)
                .orElse(false);
    }

    /** Whether {@code Prune} reaches compose stacks: only the asynchronous generation passes it on. */
    boolean prunesComposeStacks() {
        return this != SYNCHRONOUS;
    }

    public String label() {
        return label;
    }

    public String behaviour() {
        return behaviour;
    }
}
