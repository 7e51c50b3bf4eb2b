package io.deployflow.hotfix;

import io.deployflow.config.Problems;
import io.deployflow.config.Roles;
import io.deployflow.config.Suggest;
import io.deployflow.config.YamlNode;
import io.deployflow.core.BadInputException;
import io.deployflow.promotion.Environment;
import io.deployflow.promotion.PromotionConfig;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code hotfix} section: how an unplanned release for a severity-1 issue goes out. It is tested on
 * {@code testEnvironment} (Pre-Prod) before production, the {@code approval} task lets it into production, the
 * {@code rcaSignOff} task signs off the root-cause analysis, and the {@code inform} roles (with every customer's
 * contacts) are told when the issue is raised, when the fix is deploying and when service is restored.
 *
 * @param testEnvironment the environment the fix is tested on first; null: the one before production
 * @param rcaDir          where root-cause analyses are kept beside the ledger
 * @param respectWindows  whether freeze windows and deployment hours hold a sev-1 fix back (default: they do not;
 *                        a refusal is still shown, as waived)
 * @param line            the section's line; 0 when the file has none
 */
public record HotfixConfig(String approval, String rcaSignOff, String testEnvironment, List<String> inform,
                           String rcaDir, boolean respectWindows, String file, int line) {
    static final List<String> KEYS = List.of("approval", "rcaSignOff", "testEnvironment", "inform", "rcaDir",
            "respectWindows");
    private static final Pattern DIR = Pattern.compile("(?!/)(?!.*(^|/)\\.\\.?(/|$))[A-Za-z0-9._/-]+");

    public HotfixConfig {
        inform = List.copyOf(inform);
    }

    public static HotfixConfig none(String file) {
        return new HotfixConfig(null, null, null, List.of(), "rca", false, file, 0);
    }

    public static HotfixConfig from(YamlNode node) {
        node.allowOnly(KEYS);
        return new HotfixConfig(node.string("approval"), node.string("rcaSignOff"),
                node.string("testEnvironment", null), node.strings("inform"),
                node.matching("rcaDir", "rca", DIR, "a relative path inside the ledger repository, without .."),
                node.bool("respectWindows", false), node.file(), node.line());
    }

    /** Exit 2 when the file has no hotfix section: the lane cannot run without its approval tasks. */
    public HotfixConfig required() {
        if (line == 0) {
            throw new BadInputException(file, 0, "hotfix", "no hotfix section: the hotfix lane needs"
                    + " hotfix.approval (the go-ahead for production) and hotfix.rcaSignOff (the root-cause analysis"
                    + " sign-off), both approval tasks; see examples/deployflow.yaml");
        }
        return this;
    }

    /** The environment the fix is tested on: the configured one, else the one before production. */
    public Environment testEnvironment(PromotionConfig promotion) {
        if (testEnvironment != null) {
            return promotion.environment(testEnvironment);
        }
        Environment production = production(promotion);
        Environment before = promotion.previous(production);
        if (before == null) {
            throw new BadInputException(file, line, "hotfix.testEnvironment", "production (" + production.name()
                    + ") is the first environment, so there is nowhere to test a hotfix before it");
        }
        return before;
    }

    public Environment production(PromotionConfig promotion) {
        Environment production = promotion.production();
        if (production == null) {
            throw new BadInputException(file, promotion.environmentsLine(), "promotion.environments", "no environment is"
                    + " production, so the hotfix lane has nowhere to restore service");
        }
        return production;
    }

    /**
     * The tasks and roles named exist, and the environments it deploys through are declared. Reported on the line
     * that names each.
     */
    public static void check(YamlNode node, HotfixConfig config, PromotionConfig promotion, Set<String> tasks,
                             Roles roles, Problems problems) {
        if (node == null || config == null) {
            return;
        }
        for (String key : List.of("approval", "rcaSignOff")) {
            String task = key.equals("approval") ? config.approval() : config.rcaSignOff();
            if (task != null && !tasks.contains(task)) {
                problems.add(PromotionConfig.unknownTask(node.require(key), task, tasks));
            }
        }
        if (roles != null) {
            for (String role : config.inform()) {
                if (!roles.exists(role)) {
                    String nearest = Suggest.nearest(role, roles.names());
                    problems.add(node.require("inform").error("unknown role '" + role + "'" + (nearest == null ? "."
                            : "; did you mean '" + nearest + "'?") + " Roles: " + String.join(", ", roles.names())));
                }
            }
        }
        if (promotion == null) {
            return;
        }
        if (promotion.environments().isEmpty()) {
            problems.add(node.error("the hotfix lane deploys through promotion.environments (its test environment,"
                    + " then production); declare them"));
            return;
        }
        problems.check(() -> {
            String named = config.testEnvironment();
            if (named != null && promotion.environments().stream().noneMatch(e -> e.name().equals(named))) {
                throw node.require("testEnvironment").error(promotion.unknown(named));
            }
            if (named == null) {
                config.testEnvironment(promotion);
            }
        });
    }
}
