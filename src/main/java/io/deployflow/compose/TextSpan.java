package io.deployflow.compose;

import java.nio.file.Path;

/**
 * Where a tag's text lives: a range of characters in one file (the compose file or its .env), with its 1-based
 * line for messages. An empty range marks the place a missing tag goes.
 */
record TextSpan(Path file, int start, int end, int line, String text, String description) {
    static final String NO_TAG = "no tag";

    /** The image has no tag: the edit inserts {@code :VERSION} here instead of replacing text. */
    static TextSpan missingTag(Path file, int at, int line) {
        return new TextSpan(file, at, at, line, "", NO_TAG);
    }

    boolean isMissingTag() {
        return NO_TAG.equals(description);
    }

    String where() {
        return file.getFileName() + ":" + line + " (" + description + ")";
    }

    /** Identity of the place, so one anchor or one .env variable used by several services is edited once. */
    String key() {
        return file + "#" + start;
    }
}
