package io.deployflow.release.notes;

import io.deployflow.core.BadInputException;

import java.nio.file.Path;
import java.util.Locale;

/** The output formats, chosen by the output file's extension; each knows how to escape text and write a link. */
public enum NotesFormat {
    MARKDOWN("release-notes.md") {
        @Override
        String escape(String text) {
            StringBuilder out = new StringBuilder(text.length());
            for (char c : oneLine(text).toCharArray()) {
                if ("\\`*_[]<>|".indexOf(c) >= 0) {
                    out.append('\\');
                }
                out.append(c);
            }
            return out.toString();
        }

        @Override
        String link(String text, String url) {
            // Parentheses and spaces would end a markdown link target early.
            return "[" + escape(text) + "](" + url.replace(" ", "%20").replace("(", "%28").replace(")", "%29") + ")";
        }
    },
    HTML("release-notes.html") {
        @Override
        String escape(String text) {
            StringBuilder out = new StringBuilder(text.length());
            for (char c : text.toCharArray()) {
                switch (c) {
                    case '&' -> out.append("&amp;");
                    case '<' -> out.append("&lt;");
                    case '>' -> out.append("&gt;");
                    case '"' -> out.append("&quot;");
                    case '\'' -> out.append("&#39;");
                    default -> out.append(c);
                }
            }
            return out.toString();
        }

        @Override
        String link(String text, String url) {
            return "<a href=\"" + escape(url) + "\">" + escape(text) + "</a>";
        }
    };

    private final String template;

    NotesFormat(String template) {
        this.template = template;
    }

    /** Text made safe to place in this format: it shows as written and cannot add markup. */
    abstract String escape(String text);

    /** A link, text and URL both escaped. */
    abstract String link(String text, String url);

    /** The bundled template's classpath name. */
    String templateResource() {
        return "/io/deployflow/templates/" + template;
    }

    /** {@code .md}/{@code .markdown} or {@code .html}/{@code .htm}; anything else is bad input naming the option. */
    public static NotesFormat of(Path out) {
        String name = out.getFileName() == null ? "" : out.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".md") || name.endsWith(".markdown")) {
            return MARKDOWN;
        }
        if (name.endsWith(".html") || name.endsWith(".htm")) {
            return HTML;
        }
        throw new BadInputException(null, 0, "--out", "'" + out + "' must end in .md or .html: the extension"
                + " chooses the format");
    }

    /** Markdown list items and table cells are one line; a line break inside would end them. */
    private static String oneLine(String text) {
        return text.replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
