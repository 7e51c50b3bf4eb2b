package io.deployflow.compose;

import io.deployflow.core.BadInputException;
import io.deployflow.core.InputProblemsException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Refuses a key written twice in one mapping, anywhere in the file, naming both lines, as Compose v2 does
 * ("mapping key ... already defined at line ..."; go-yaml v3). snakeyaml-engine's composer, which gives us the
 * positions, keeps both entries, and an edit of the first of two {@code image:} keys would change nothing Compose
 * runs, because Compose takes the last. Merge keys ({@code <<}) are left to Compose.
 */
final class DuplicateKeys {
    private DuplicateKeys() {
    }

    static void refuse(Path file, Node root) {
        List<BadInputException> found = new ArrayList<>();
        walk(file, root, "", found, new IdentityHashMap<>());
        if (found.size() == 1) {
            throw found.get(0);
        }
        if (!found.isEmpty()) {
            throw new InputProblemsException(found);
        }
    }

    private static void walk(Path file, Node node, String path, List<BadInputException> found,
                             Map<Node, Boolean> visited) {
        if (visited.put(node, Boolean.TRUE) != null) {
            return;
        }
        if (node instanceof SequenceNode sequence) {
            for (int i = 0; i < sequence.getValue().size(); i++) {
                walk(file, sequence.getValue().get(i), path + "[" + i + "]", found, visited);
            }
        } else if (node instanceof MappingNode mapping) {
            Map<String, Integer> lines = new HashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                String key = tuple.getKeyNode() instanceof ScalarNode k ? k.getValue() : null;
                String child = key == null ? path : path.isEmpty() ? key : path + "." + key;
                int line = tuple.getKeyNode().getStartMark().map(m -> m.getLine() + 1).orElse(0);
                if (key != null && !key.equals("<<")) {
                    Integer first = lines.putIfAbsent(key, line);
                    if (first != null) {
                        found.add(new BadInputException(file.toString(), line, child, "duplicate key '" + key
                                + "', already defined at line " + first + "; Compose refuses a file with a key"
                                + " written twice"));
                    }
                }
                walk(file, tuple.getValueNode(), child, found, visited);
            }
        }
    }
}
