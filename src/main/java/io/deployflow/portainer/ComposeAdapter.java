package io.deployflow.portainer;

import io.deployflow.core.BadInputException;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the compose file tested locally into one Portainer can run. Portainer keeps only the compose text, not the
 * repository around it, so it cannot build images ({@code build:}) nor mount files relative to the checkout
 * ({@code ./data:/x}). Both are refused with the line named, or rewritten when config allows it. Edits are made on
 * the original text by position so that comments, order and formatting survive: people diff the deployed file.
 */
public final class ComposeAdapter {
    /**
     * A service as the deploy waits for it.
     *
     * @param image the image as written, possibly with ${VAR} from the stack's variables; null when none
     */
    public record Service(String name, String image) {
        private static final Pattern VARIABLE = Pattern.compile(
                "\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}|\\$([A-Za-z_][A-Za-z0-9_]*)");

        /** The image with the stack's variables put in as compose does, or null when one is missing. */
        public String imageWith(Map<String, String> env) {
            if (image == null) {
                return null;
            }
            Matcher m = VARIABLE.matcher(image.replace("$$", "\u0000"));
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String name = m.group(1) != null ? m.group(1) : m.group(4);
                String value = env.get(name);
                String op = m.group(2);
                if (op != null && op.endsWith("-") && (value == null || op.equals(":-") && value.isEmpty())) {
                    value = m.group(3);
                }
                if (value == null) {
                    return null;
                }
                m.appendReplacement(out, Matcher.quoteReplacement(value));
            }
            m.appendTail(out);
            return out.toString().replace("\u0000", "$");
        }
    }

    public record Adapted(String text, List<String> changes, List<Service> services) {
    }

    private record Edit(int start, int end, String replacement) {
    }

    private final String fileName;
    private final String text;
    private final String buildSections;
    private final String relativeMounts;

    private ComposeAdapter(String fileName, String text, String buildSections, String relativeMounts) {
        this.fileName = fileName;
        this.text = text;
        this.buildSections = buildSections;
        this.relativeMounts = relativeMounts;
    }

    /**
     * @param buildSections  {@code refuse} or {@code drop}
     * @param relativeMounts {@code refuse} or {@code named-volume}
     */
    public static Adapted adapt(String fileName, String text, String buildSections, String relativeMounts) {
        return new ComposeAdapter(fileName, text, buildSections, relativeMounts).run();
    }

    /** The services of a compose text that is not adapted (a rollback point); unreadable text gives none. */
    public static List<Service> servicesOf(String text) {
        try {
            MappingNode root = (MappingNode) new ComposeAdapter("stack", text, "drop", "named-volume").parse();
            return services(root);
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private Adapted run() {
        Node rootNode = parse();
        if (!(rootNode instanceof MappingNode root)) {
            throw new BadInputException(fileName, 1, null, "a compose file must be a mapping with 'services:'");
        }
        Node servicesNode = value(root, "services");
        if (!(servicesNode instanceof MappingNode services)) {
            throw new BadInputException(fileName, line(root), "services",
                    "missing or not a mapping: nothing for Portainer to run");
        }
        List<Edit> edits = new ArrayList<>();
        List<String> changes = new ArrayList<>();
        Set<String> newVolumes = new LinkedHashSet<>();
        for (NodeTuple tuple : services.getValue()) {
            String name = scalar(tuple.getKeyNode());
            if (!(tuple.getValueNode() instanceof MappingNode service)) {
                throw new BadInputException(fileName, line(tuple.getValueNode()), "services." + name,
                        "a service must be a mapping");
            }
            refuseEnvFiles(name, service);
            adaptBuild(name, service, edits, changes);
            adaptVolumes(name, service, edits, changes, newVolumes);
        }
        if (!newVolumes.isEmpty()) {
            declareVolumes(root, newVolumes, edits);
        }
        return new Adapted(apply(edits), List.copyOf(changes), services(root));
    }

    /**
     * {@code env_file} is read from the project directory, where Portainer has only the compose text and, since
     * 2.x, {@code stack.env} written from the stack's variables. Any other file would fail Portainer's deploy, so it
     * is refused here, before anything changes.
     */
    private void refuseEnvFiles(String service, MappingNode node) {
        Node envFile = value(node, "env_file");
        if (envFile == null) {
            return;
        }
        List<Node> items = envFile instanceof SequenceNode list ? list.getValue() : List.of(envFile);
        for (Node item : items) {
            Node path = item instanceof MappingNode m ? value(m, "path") : item;
            boolean required = !(item instanceof MappingNode m && value(m, "required") instanceof ScalarNode r
                    && r.getValue().equals("false"));
            if (path instanceof ScalarNode p && required && !p.getValue().equals("stack.env")
                    && !p.getValue().equals("./stack.env") && !p.getValue().startsWith("/")) {
                throw new BadInputException(fileName, line(item), "services." + service + ".env_file",
                        "Portainer has only the compose text, not '" + p.getValue() + "'. Pass the variables with"
                                + " --env-file (they become the stack's variables) and use them as ${NAME}, or"
                                + " write env_file: stack.env, the file Portainer fills from those variables");
            }
        }
    }

    private void adaptBuild(String service, MappingNode node, List<Edit> edits, List<String> changes) {
        NodeTuple build = tuple(node, "build");
        if (build == null) {
            return;
        }
        String field = "services." + service + ".build";
        if (buildSections.equals("refuse")) {
            throw new BadInputException(fileName, line(build.getKeyNode()), field, "Portainer cannot build images."
                    + " Push the image and use 'image:', or set portainer.buildSections: drop to deploy 'image:'"
                    + " without the build section");
        }
        if (value(node, "image") == null) {
            throw new BadInputException(fileName, line(build.getKeyNode()), field, "cannot drop 'build:' because"
                    + " the service has no 'image:' to run instead; add the pushed image");
        }
        requireBlock(node, field);
        edits.add(new Edit(lineStart(start(build.getKeyNode())), afterLine(lastLeafEnd(build.getValueNode())), ""));
        changes.add("dropped " + field + " (line " + line(build.getKeyNode()) + "): Portainer runs the image");
    }

    private void adaptVolumes(String service, MappingNode node, List<Edit> edits, List<String> changes,
                              Set<String> newVolumes) {
        Node volumes = value(node, "volumes");
        if (!(volumes instanceof SequenceNode list)) {
            return;
        }
        for (int i = 0; i < list.getValue().size(); i++) {
            Node item = list.getValue().get(i);
            String field = "services." + service + ".volumes[" + i + "]";
            if (item instanceof ScalarNode shortSyntax) {
                String spec = shortSyntax.getValue();
                int colon = spec.indexOf(':');
                String source = colon < 0 ? spec : spec.substring(0, colon);
                if (colon < 0 || !isRelative(source)) {
                    continue;
                }
                String volume = refuseOrName(source, field, item);
                edits.add(new Edit(start(item), end(item), requote(shortSyntax, volume + spec.substring(colon))));
                newVolumes.add(volume);
                changes.add(describe(field, item, source, volume));
            } else if (item instanceof MappingNode longSyntax) {
                Node type = value(longSyntax, "type");
                Node source = value(longSyntax, "source");
                if (!(type instanceof ScalarNode t) || !t.getValue().equals("bind")
                        || !(source instanceof ScalarNode s) || !isRelative(s.getValue())) {
                    continue;
                }
                String volume = refuseOrName(s.getValue(), field, item);
                edits.add(new Edit(start(type), end(type), requote(t, "volume")));
                edits.add(new Edit(start(source), end(source), requote(s, volume)));
                newVolumes.add(volume);
                changes.add(describe(field, item, s.getValue(), volume));
            }
        }
    }

    private String describe(String field, Node item, String source, String volume) {
        return "turned " + field + " (line " + line(item) + ") '" + source + "' into named volume '" + volume
                + "': it starts empty, copy the data into it once";
    }

    private String refuseOrName(String source, String field, Node item) {
        if (relativeMounts.equals("refuse")) {
            throw new BadInputException(fileName, line(item), field, "relative bind mount '" + source + "' cannot"
                    + " work in Portainer: the stack has no checkout of your repository. Use a named volume or an"
                    + " absolute host path, or set portainer.relativeMounts: named-volume");
        }
        String name = source.replaceFirst("^[.~/]+", "").replaceAll("[^A-Za-z0-9_.-]+", "_")
                .replaceAll("^[_.-]+|[_.-]+$", "");
        return name.isEmpty() ? "project_root" : name;
    }

    private static boolean isRelative(String source) {
        return source.equals(".") || source.equals("..") || source.startsWith("./") || source.startsWith("../")
                || source.startsWith("~");
    }

    private void declareVolumes(MappingNode root, Set<String> names, List<Edit> edits) {
        NodeTuple top = tuple(root, "volumes");
        if (top == null) {
            StringBuilder block = new StringBuilder(text.isEmpty() || text.endsWith("\n") ? "" : "\n");
            block.append("volumes:\n");
            names.forEach(n -> block.append("  ").append(n).append(": {}\n"));
            edits.add(new Edit(text.length(), text.length(), block.toString()));
            return;
        }
        Node value = top.getValueNode();
        if (value instanceof MappingNode existing) {
            names.removeIf(n -> value(existing, n) != null);
            if (names.isEmpty()) {
                return;
            }
            if (existing.getFlowStyle() == FlowStyle.FLOW) {
                int close = text.lastIndexOf('}', end(existing));
                String sep = existing.getValue().isEmpty() ? "" : ", ";
                edits.add(new Edit(close, close, sep + String.join(": {}, ", names) + ": {}"));
                return;
            }
            List<NodeTuple> entries = existing.getValue();
            Node first = entries.get(0).getKeyNode();
            String indent = " ".repeat(first.getStartMark().map(Mark::getColumn).orElse(2));
            int at = afterLine(lastLeafEnd(entries.get(entries.size() - 1).getValueNode()));
            StringBuilder block = new StringBuilder(at > 0 && text.charAt(at - 1) != '\n' ? "\n" : "");
            names.forEach(n -> block.append(indent).append(n).append(": {}\n"));
            edits.add(new Edit(at, at, block.toString()));
        } else if (value instanceof ScalarNode empty && empty.getValue().isEmpty()) {
            int at = afterLine(end(top.getKeyNode()));
            StringBuilder block = new StringBuilder(at > 0 && text.charAt(at - 1) != '\n' ? "\n" : "");
            names.forEach(n -> block.append("  ").append(n).append(": {}\n"));
            edits.add(new Edit(at, at, block.toString()));
        } else {
            throw new BadInputException(fileName, line(value), "volumes", "top-level volumes must be a mapping");
        }
    }

    private String apply(List<Edit> edits) {
        List<Edit> sorted = new ArrayList<>(edits);
        sorted.sort(Comparator.comparingInt(Edit::start).reversed());
        StringBuilder out = new StringBuilder(text);
        for (Edit edit : sorted) {
            out.replace(edit.start(), edit.end(), edit.replacement());
        }
        return out.toString();
    }

    private Node parse() {
        LoadSettings settings = LoadSettings.builder().setLabel(fileName).setUseMarks(true).build();
        try {
            Composer composer = new Composer(settings, new ParserImpl(settings, new StreamReader(settings, text)));
            return composer.getSingleNode().orElseThrow(
                    () -> new BadInputException(fileName, 1, null, "the compose file is empty"));
        } catch (MarkedYamlEngineException e) {
            throw new BadInputException(fileName, e.getProblemMark().map(m -> m.getLine() + 1).orElse(0), null,
                    "malformed YAML: " + e.getProblem().trim());
        } catch (YamlEngineException e) {
            throw new BadInputException(fileName, 0, null, "malformed YAML: " + e.getMessage().trim());
        }
    }

    private static List<Service> services(MappingNode root) {
        List<Service> out = new ArrayList<>();
        if (value(root, "services") instanceof MappingNode services) {
            for (NodeTuple tuple : services.getValue()) {
                if (tuple.getValueNode() instanceof MappingNode service && value(service, "profiles") == null) {
                    String image = value(service, "image") instanceof ScalarNode s ? s.getValue() : null;
                    out.add(new Service(scalar(tuple.getKeyNode()), image));
                }
            }
        }
        return out;
    }

    private void requireBlock(MappingNode service, String field) {
        if (service.getFlowStyle() == FlowStyle.FLOW) {
            throw new BadInputException(fileName, line(service), field, "the service is written in flow style"
                    + " ({...}); write it as a block mapping so it can be edited line by line");
        }
    }

    private static String requote(ScalarNode original, String value) {
        if (original.getScalarStyle() == ScalarStyle.DOUBLE_QUOTED) {
            return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
        if (original.getScalarStyle() == ScalarStyle.SINGLE_QUOTED) {
            return "'" + value.replace("'", "''") + "'";
        }
        return value;
    }

    private static NodeTuple tuple(MappingNode mapping, String key) {
        for (NodeTuple tuple : mapping.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                return tuple;
            }
        }
        return null;
    }

    private static Node value(MappingNode mapping, String key) {
        NodeTuple tuple = tuple(mapping, key);
        return tuple == null ? null : tuple.getValueNode();
    }

    private static String scalar(Node node) {
        return node instanceof ScalarNode s ? s.getValue() : String.valueOf(node);
    }

    private static int line(Node node) {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }

    /** Marks count code points; the text is edited by UTF-16 index. */
    private int start(Node node) {
        return text.offsetByCodePoints(0, node.getStartMark().orElseThrow().getIndex());
    }

    private int end(Node node) {
        return text.offsetByCodePoints(0, node.getEndMark().orElseThrow().getIndex());
    }

    private int lineStart(int index) {
        return text.lastIndexOf('\n', index - 1) + 1;
    }

    /**
     * Where a node's own text ends. A block collection's end mark is where the next token starts, which may be
     * after comments or on a later line; its last scalar ends where the collection's text really does.
     */
    private int lastLeafEnd(Node node) {
        if (node instanceof MappingNode m && m.getFlowStyle() == FlowStyle.BLOCK && !m.getValue().isEmpty()) {
            return lastLeafEnd(m.getValue().get(m.getValue().size() - 1).getValueNode());
        }
        if (node instanceof SequenceNode q && q.getFlowStyle() == FlowStyle.BLOCK && !q.getValue().isEmpty()) {
            return lastLeafEnd(q.getValue().get(q.getValue().size() - 1));
        }
        return end(node);
    }

    private int afterLine(int index) {
        if (index > 0 && text.charAt(index - 1) == '\n') {
            return index;
        }
        int newline = text.indexOf('\n', index);
        return newline < 0 ? text.length() : newline + 1;
    }
}
