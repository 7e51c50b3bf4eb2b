package io.deployflow.hotfix;

import io.deployflow.compose.VersionSetter;
import io.deployflow.config.Component;
import io.deployflow.config.Customer;
import io.deployflow.config.DeployflowConfig;
import io.deployflow.config.YamlNode;
import io.deployflow.core.BadInputException;
import io.deployflow.core.OutsideSystemException;
import io.deployflow.core.Progress;
import io.deployflow.decision.ProductionVersions;
import io.deployflow.git.RepoCache;
import io.deployflow.ledger.LedgerEntry;
import io.deployflow.promotion.PromotionLedger;
import io.deployflow.release.SemVer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The version of a component production runs, which a hotfix branches from. The ledger knows it when releases go
 * through promotion (the latest deployment to the production environment); otherwise each customer repository's
 * main branch does (what was last delivered). When customers run different versions, the highest is taken, and
 * the others are named.
 *
 * @param source    where it was read: "ledger #41" or the customers' repositories
 * @param customers the customers known to run it (empty when read from the ledger for every customer)
 */
record ProductionRelease(String version, String source, List<String> customers) {

    static ProductionRelease find(DeployflowConfig config, Component component, List<LedgerEntry> entries,
                                  RepoCache cache) {
        LedgerEntry last = null;
        for (LedgerEntry e : entries) {
            if (PromotionLedger.TYPE.equals(e.type()) && PromotionLedger.DEPLOYED.equals(e.text("event"))
                    && Boolean.TRUE.equals(e.data().get("production")) && component.name().equals(e.text("service"))) {
                last = e;
            }
        }
        if (last != null) {
            String customer = last.text("customer");
            return new ProductionRelease(last.text("version"), "ledger #" + last.seq() + " (" + last.text(
                    "environment") + ", " + PromotionLedger.shortTime(last.time()) + ")",
                    customer.isEmpty() ? List.of() : List.of(customer));
        }
        return fromCustomers(config, component, cache);
    }

    private static ProductionRelease fromCustomers(DeployflowConfig config, Component component, RepoCache cache) {
        ProductionVersions production = ProductionVersions.fromRepository(cache, new VersionSetter(config));
        Map<String, String> running = new LinkedHashMap<>();
        List<String> unreachable = new ArrayList<>();
        for (Customer customer : config.customers()) {
            try {
                String version = production.of(customer).get(component.name());
                if (version != null) {
                    running.put(customer.name(), version);
                }
            } catch (OutsideSystemException | BadInputException e) {
                unreachable.add(customer.name() + " (" + e.getMessage() + ")");
                Progress.line("warning: cannot read what " + customer.name() + " runs: " + e.getMessage());
            }
        }
        if (running.isEmpty()) {
            if (!unreachable.isEmpty()) {
                throw new OutsideSystemException("customer repositories", "no production deployment of "
                        + component.name() + " is in the ledger, and the customer repositories that could tell"
                        + " could not be read: " + String.join("; ", unreachable));
            }
            int[] at = lineOf(config, component);
            throw new BadInputException(config.file().toString(), at[0], "components[" + at[1] + "]",
                    "production does not run '" + component.name() + "': no production deployment of it is in the"
                            + " ledger, and no customer's " + (config.customers().isEmpty() ? "repository (none are"
                            + " configured)" : "compose file on its main branch uses " + component.image()));
        }
        Optional<String> highest = running.values().stream().filter(v -> SemVer.tryParse(v).isPresent())
                .max((a, b) -> SemVer.parse(a).compareTo(SemVer.parse(b)));
        String version = highest.orElse(running.values().iterator().next());
        List<String> customers = running.entrySet().stream().filter(e -> e.getValue().equals(version))
                .map(Map.Entry::getKey).toList();
        if (running.values().stream().distinct().count() > 1) {
            Progress.line("customers run different versions of " + component.name() + ": " + running
                    + "; the hotfix starts from the highest, " + version);
        }
        return new ProductionRelease(version, "the main branch of " + String.join(", ", customers) + "'s"
                + " repository", customers);
    }

    /** The component's line and index in deployflow.yaml, for a message naming where it is declared. */
    static int[] lineOf(DeployflowConfig config, Component component) {
        List<YamlNode> items = YamlNode.parse(config.file()).list("components");
        for (int i = 0; i < items.size(); i++) {
            YamlNode name = items.get(i).isMapping() ? items.get(i).get("name") : null;
            if (name != null && component.name().equals(name.asString())) {
                return new int[]{name.line(), i};
            }
        }
        return new int[]{0, config.components().indexOf(component)};
    }
}
