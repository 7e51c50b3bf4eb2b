package io.deployflow.core;

/**
 * Input that cannot be used: a config file, a routes file, a parameter. Always thrown before any target is
 * touched, so the CLI can exit 2 with the promise that nothing changed.
 */
public class BadInputException extends RuntimeException {
    private final String file;
    private final int line;
    private final String field;

    /**
     * @param file  the file at fault, or null when the input was a command-line parameter
     * @param line  1-based line, or 0 when unknown
     * @param field dotted path of the field, such as {@code components[0].tagPrefix}, or null
     */
    public BadInputException(String file, int line, String field, String message) {
        super(format(file, line, field, message));
        this.file = file;
        this.line = line;
        this.field = field;
    }

    public BadInputException(String message) {
        this(null, 0, null, message);
    }

    private static String format(String file, int line, String field, String message) {
        StringBuilder where = new StringBuilder();
        if (file != null) {
            where.append(file);
            if (line > 0) {
                where.append(':').append(line);
            }
            where.append(": ");
        }
        if (field != null && !field.isEmpty()) {
            where.append(field).append(": ");
        }
        return where + message;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public String field() {
        return field;
    }
}
