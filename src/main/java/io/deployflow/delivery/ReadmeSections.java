package io.deployflow.delivery;

import io.deployflow.core.BadInputException;

/**
 * Replaces generated sections of a README between {@code <!-- deployflow:NAME -->} and
 * {@code <!-- /deployflow:NAME -->}. Every byte outside the markers stays as the team wrote it; a README without
 * the markers gets the section appended under its heading, markers included, so the next delivery finds them.
 */
final class ReadmeSections {
    private ReadmeSections() {
    }

    static String open(String name) {
        return "<!-- deployflow:" + name + " -->";
    }

    static String close(String name) {
        return "<!-- /deployflow:" + name + " -->";
    }

    /**
     * @param fileName for error messages: the README's path in the customer repository
     * @param body     the generated content, lines ending in \n
     */
    static String replace(String fileName, String readme, String name, String heading, String body) {
        String newline = readme.contains("\r\n") ? "\r\n" : "\n";
        String content = body.replace("\n", newline);
        int start = readme.indexOf(open(name));
        int end = readme.indexOf(close(name));
        if (start < 0 && end < 0) {
            StringBuilder out = new StringBuilder(readme);
            if (!readme.isEmpty() && !readme.endsWith("\n")) {
                out.append(newline);
            }
            if (!readme.isEmpty()) {
                out.append(newline);
            }
            return out.append("## ").append(heading).append(newline).append(newline).append(open(name))
                    .append(newline).append(content).append(close(name)).append(newline).toString();
        }
        if (start < 0 || end < start || readme.indexOf(open(name), start + 1) >= 0) {
            int at = start < 0 ? end : start;
            throw new BadInputException(fileName, lineOf(readme, at), null, "the generated section '" + name
                    + "' needs exactly one " + open(name) + " followed by one " + close(name)
                    + "; fix the markers in the customer repository (or remove both to have the section appended)");
        }
        int bodyStart = start + open(name).length();
        return readme.substring(0, bodyStart) + newline + content + readme.substring(end);
    }

    private static int lineOf(String text, int index) {
        int line = 1;
        for (int i = 0; i < index; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
