package io.deployflow.vars

/**
 * Splits a command line as a POSIX shell does (single quotes, double quotes, backslashes), so the tests check the
 * arguments the CLI really receives instead of comparing quoted text.
 */
final class ShellWords {
    private ShellWords() {
    }

    static List<String> split(String line) {
        List<String> words = []
        StringBuilder word = null
        int i = 0
        while (i < line.length()) {
            char c = line.charAt(i)
            if (c == ' ' as char || c == '\t' as char || c == '\n' as char) {
                if (word != null) {
                    words.add(word.toString())
                    word = null
                }
                i++
                continue
            }
            if (word == null) {
                word = new StringBuilder()
            }
            if (c == '\'' as char) {
                int end = line.indexOf('\'', i + 1)
                if (end < 0) {
                    throw new IllegalArgumentException('unterminated single quote in: ' + line)
                }
                word.append(line, i + 1, end)
                i = end + 1
            } else if (c == '"' as char) {
                i++
                while (i < line.length() && line.charAt(i) != '"' as char) {
                    if (line.charAt(i) == '$' as char || line.charAt(i) == '`' as char) {
                        throw new IllegalArgumentException('expansion inside double quotes: ' + line)
                    }
                    if (line.charAt(i) == '\\' as char) {
                        i++
                    }
                    word.append(line.charAt(i))
                    i++
                }
                if (i >= line.length()) {
                    throw new IllegalArgumentException('unterminated double quote in: ' + line)
                }
                i++
            } else if (c == '\\' as char) {
                word.append(line.charAt(i + 1))
                i += 2
            } else if ('$`;&|<>()*?[]{}~#!'.indexOf((int) c) >= 0) {
                // An unquoted special character would be interpreted by the shell: the quoting failed.
                throw new IllegalArgumentException("unquoted shell character '${c}' in: " + line)
            } else {
                word.append(c)
                i++
            }
        }
        if (word != null) {
            words.add(word.toString())
        }
        return words
    }
}
