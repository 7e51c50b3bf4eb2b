package io.deployflow.config;

import java.util.List;

/**
 * Who may decide what happens after a failed test (S0 "Errorhandling"), checked by the engine on the approver
 * id that Jenkins returns, because Jenkins administrators bypass an input's submitter list.
 */
public record DecisionPolicy(List<String> deciders, String retrospectiveDir) {
    static final List<String> KEYS = List.of("deciders", "retrospectiveDir");

    static DecisionPolicy defaults() {
        return new DecisionPolicy(List.of(), "retrospectives");
    }

    static DecisionPolicy from(YamlNode node) {
        node.allowOnly(KEYS);
        return new DecisionPolicy(node.strings("deciders"), node.string("retrospectiveDir", "retrospectives"));
    }
}
