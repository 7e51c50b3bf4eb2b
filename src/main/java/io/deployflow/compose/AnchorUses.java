package io.deployflow.compose;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where an anchored image scalar ({@code x-img: &img nginx:1.25}) is used other than as a service's image, such as
 * {@code labels: {mirror-of: *img}} or an environment value. Editing the anchor's text changes every use, so such
 * a use must be known before the tag is edited. The composer resolves an alias to the anchored node itself, so a
 * use is found as that very node sitting under another key.
 *
 * <p>Extension fields ({@code x-...} keys, at any level) are not uses: Compose ignores them, and the anchor is
 * usually defined in one. An {@code image} key of a service's definition, or of a mapping merged into one with
 * {@code <<}, is an image use.
 */
final class AnchorUses {
    private AnchorUses() {
    }

    /**
     * For each of {@code images} that has other uses, those uses as {@code path (line N)}, in file order. Only an
     * anchored scalar can be used twice, so only those are looked for, and a file without one is not walked at all:
     * identity lookups on every node of a fresh tree cost as much as parsing it.
     */
    static Map<Node, List<String>> nonImageUses(Node root, MappingNode services, Set<Node> images) {
        Map<Node, Boolean> anchored = new IdentityHashMap<>();
        images.stream().filter(n -> n.getAnchor().isPresent()).forEach(n -> anchored.put(n, Boolean.TRUE));
        Map<Node, List<String>> uses = new IdentityHashMap<>();
        if (anchored.isEmpty()) {
            return uses;
        }
        Map<Node, Boolean> serviceMappings = new IdentityHashMap<>();
        for (NodeTuple tuple : services.getValue()) {
            collectMergeSources(tuple.getValueNode(), serviceMappings);
        }
        walk(root, "", serviceMappings, anchored, uses, new IdentityHashMap<>());
        return uses;
    }

    /** A service's definition and every mapping merged into it, transitively. */
    private static void collectMergeSources(Node node, Map<Node, Boolean> into) {
        if (!(node instanceof MappingNode mapping) || into.put(mapping, Boolean.TRUE) != null) {
            return;
        }
        Node merge = ComposeFile.value(mapping, "<<");
        if (merge instanceof SequenceNode sequence) {
            sequence.getValue().forEach(source -> collectMergeSources(source, into));
        } else if (merge != null) {
            collectMergeSources(merge, into);
        }
    }

    private static void walk(Node node, String path, Map<Node, Boolean> serviceMappings, Map<Node, Boolean> images,
                             Map<Node, List<String>> uses, Map<Node, Boolean> visitedAnchors) {
        if (node.getAnchor().isPresent() && visitedAnchors.put(node, Boolean.TRUE) != null) {
            return;
        }
        if (node instanceof SequenceNode sequence) {
            int line = line(sequence);
            for (int i = 0; i < sequence.getValue().size(); i++) {
                Node item = sequence.getValue().get(i);
                String child = path + "[" + i + "]";
                if (isImage(images, item)) {
                    record(uses, item, child + " (in the list at line " + line + ")");
                } else {
                    walk(item, child, serviceMappings, images, uses, visitedAnchors);
                }
            }
        } else if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                String key = tuple.getKeyNode() instanceof ScalarNode k ? k.getValue() : "?";
                if (key.startsWith("x-")) {
                    continue;
                }
                String child = path.isEmpty() ? key : path + "." + key;
                int line = line(tuple.getKeyNode());
                if (isImage(images, tuple.getKeyNode())) {
                    record(uses, tuple.getKeyNode(), child + " as a key (line " + line + ")");
                }
                Node value = tuple.getValueNode();
                if (isImage(images, value)) {
                    boolean imageUse = key.equals("image") && serviceMappings.containsKey(mapping);
                    if (!imageUse) {
                        record(uses, value, child + " (line " + line + ")");
                    }
                } else {
                    walk(value, child, serviceMappings, images, uses, visitedAnchors);
                }
            }
        }
    }

    private static boolean isImage(Map<Node, Boolean> anchoredImages, Node node) {
        return node.getAnchor().isPresent() && anchoredImages.containsKey(node);
    }

    private static void record(Map<Node, List<String>> uses, Node image, String where) {
        uses.computeIfAbsent(image, n -> new ArrayList<>()).add(where);
    }

    private static int line(Node node) {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }
}
