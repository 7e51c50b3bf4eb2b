package io.deployflow.portainer;

import io.deployflow.core.BadInputException;
import io.deployflow.core.Json;
import io.deployflow.core.SecretNames;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a stack stood before a deploy, so it can be put back. Portainer keeps no history for a stack sent as text
 * (2.36 added file versions, but not for variables), so the point is kept apart ({@link RollbackPoints}: beside the
 * team's ledger, or in the deploying agent's state directory) and in the result JSON.
 * <p>
 * It never holds a secret: the stack file is the customer's compose text, and of the variables it keeps only
 * names, plus the previous values of the variables this deploy changes; a declared secret among those (the
 * customer's {@code secrets}, see {@link SecretNames}) is listed in {@code envValuesNotKept} instead. Variables
 * the deploy does not change are restored from Portainer itself, which still holds them. A rollback inside the
 * failing deploy has every previous value in memory and restores them all exactly.
 *
 * @param gitReference for a git stack the reference it was deployed from, and the file is null
 * @param restoreEnv   changed variable to its previous value; null means it did not exist before
 */
public record RollbackPoint(String customer, String portainerUrl, int endpointId, int stackId, String stackName,
                            String takenAt, String gitReference, String stackFileContent,
                            List<String> unchangedEnvNames, Map<String, String> restoreEnv,
                            List<String> envValuesNotKept) {

    static RollbackPoint of(String customer, String url, int endpointId, Stack stack, String file, EnvPlan plan,
                            SecretNames secrets, String takenAt) {
        Map<String, String> restore = new LinkedHashMap<>();
        List<String> notKept = new ArrayList<>();
        plan.previousOfChanged().forEach((name, previous) -> {
            if (previous != null && secrets.isSecret(name)) {
                notKept.add(name);
            } else {
                restore.put(name, previous);
            }
        });
        List<String> unchanged = stack.env().stream().map(EnvVar::name)
                .filter(n -> !plan.previousOfChanged().containsKey(n)).toList();
        return new RollbackPoint(customer, url, endpointId, stack.id(), stack.name(), takenAt,
                stack.git() == null ? null : stack.git().referenceName(), file, unchanged, restore, notKept);
    }

    /**
     * The variables to send when rolling back on demand: the stack's current ones with the changed ones put back.
     * Secret values that were not kept stay as they are now.
     */
    List<EnvVar> restoredFrom(List<EnvVar> current) {
        Map<String, String> env = new LinkedHashMap<>();
        current.forEach(v -> env.put(v.name(), v.value()));
        restoreEnv.forEach((name, previous) -> {
            if (previous == null) {
                env.remove(name);
            } else {
                env.put(name, previous);
            }
        });
        List<EnvVar> out = new ArrayList<>();
        env.forEach((n, v) -> out.add(new EnvVar(n, v)));
        return out;
    }

    /** 1-based line of {@code "key"} in a rollback point file as written (pretty-printed JSON), else 0. */
    static int lineOf(Path file, String key) {
        try {
            return lineOf(Files.readString(file), key);
        } catch (java.io.IOException e) {
            // read moments ago; without it the error still names the file and the field
            return 0;
        }
    }

    /** 1-based line of {@code "key"} in a rollback point's text as written (pretty-printed JSON), else 0. */
    static int lineOf(String text, String key) {
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().startsWith("\"" + key + "\"")) {
                return i + 1;
            }
        }
        return 0;
    }

    /** The point as kept: pretty-printed JSON, so errors can name the line of a field. */
    String text() {
        try {
            return Json.mapper().writeValueAsString(this) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a rollback point that is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Reads a kept point's text; {@code where} names it in errors (exit 2). */
    static RollbackPoint parse(String text, String where) {
        RollbackPoint point;
        try {
            point = Json.mapper().readValue(text, RollbackPoint.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new BadInputException(where, line, null, "not a rollback point: " + e.getOriginalMessage());
        }
        return point.usable(where);
    }

    public static Path file(Path stateDir, String customer) {
        return stateDir.resolve(customer + "-rollback.json");
    }

    void save(Path stateDir) {
        Json.write(file(stateDir, customer), this);
    }

    /** Reads the point a deploy kept in {@code stateDir} ({@link StateDirRollbackPoints} looks first). */
    public static RollbackPoint load(Path stateDir, String customer) {
        Path file = file(stateDir, customer);
        return Json.read(file, RollbackPoint.class).usable(file.toString());
    }

    private RollbackPoint usable(String where) {
        if (stackFileContent == null && gitReference == null) {
            throw new BadInputException(where, 0, "stackFileContent", "the rollback point holds no stack file and no"
                    + " git reference");
        }
        return this;
    }
}
