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
        walk(file, root, new ArrayList<>(), found, new IdentityHashMap<>());
        if (found.size() == 1) {
            throw found.get(0);
        }
        if (!found.isEmpty()) {
            throw new InputProblemsException(found);
        }
    }

    /**
     * Only an anchored node can be reached twice (through an alias), so only those are remembered: asking an
     * identity map about every node of a fresh tree costs as much as parsing it.
     */
    private static void walk(Path file, Node node, List<String> path, List<BadInputException> found,
                             Map<Node, Boolean> visitedAnchors) {
        if (node.getAnchor().isPresent() && visitedAnchors.put(node, Boolean.TRUE) != null) {
            return;
        }
        if (node instanceof SequenceNode sequence) {
            for (int i = 0; i < sequence.getValue().size(); i++) {
                path.add("[" + i + "]");
                walk(file, sequence.getValue().get(i), path, found, visitedAnchors);
                path.remove(path.size() - 1);
            }
        } else if (node instanceof MappingNode mapping) {
            List<NodeTuple> tuples = mapping.getValue();
            for (int i = 0; i < tuples.size(); i++) {
                NodeTuple tuple = tuples.get(i);
                String key = tuple.getKeyNode() instanceof ScalarNode k ? k.getValue() : "?";
                path.add(key);
                if (!key.equals("<<")) {
                    int first = firstIndexOf(tuples, key, i);
                    if (first < i) {
                        found.add(new BadInputException(file.toString(), line(tuple.getKeyNode()), dotted(path),
                                "duplicate key '" + key + "', already defined at line "
                                        + line(tuples.get(first).getKeyNode()) + "; Compose refuses a file with a"
                                        + " key written twice"));
                    }
                }
                walk(file, tuple.getValueNode(), path, found, visitedAnchors);
                path.remove(path.size() - 1);
            }
        }
    }

    /** {@code services.web.image}, {@code x.list[0].y}: the path is only spelled out for a message. */
    private static String dotted(List<String> path) {
        StringBuilder out = new StringBuilder();
        for (String segment : path) {
            if (out.length() > 0 && !segment.startsWith("[")) {
                out.append('.');
            }
            out.append(segment);
        }
        return out.toString();
    }

    /**
     * Where a key first appears, looking no further than {@code limit}. A linear scan: mappings are small, and the
     * large one ({@code services}) is scanned once per file, cheaper than hashing every fresh key string.
     */
    private static int firstIndexOf(List<NodeTuple> tuples, String key, int limit) {
        for (int j = 0; j < limit; j++) {
            if (tuples.get(j).getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                return j;
            }
        }
        return limit;
    }

    private static int line(Node node) {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }
}
