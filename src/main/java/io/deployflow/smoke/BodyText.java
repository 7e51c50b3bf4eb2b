package io.deployflow.smoke;

import java.nio.ByteBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collection;

/**
 * The first bytes of a response body as they may appear in a message, a log line and JUnit XML: one line, no
 * control characters (XML 1.0 cannot carry most of them), secrets the route sent masked in case the server
 * echoes them back.
 */
final class BodyText {
    static final int SNIPPET_BYTES = 200;

    private BodyText() {
    }

    static String snippet(byte[] body, Collection<String> secrets) {
        if (body == null || body.length == 0) {
            return "(empty)";
        }
        int n = Math.min(body.length, SNIPPET_BYTES);
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        String text;
        try {
            text = decoder.decode(ByteBuffer.wrap(body, 0, n)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalStateException("a REPLACE decoder cannot fail", e);
        }
        // a multi-byte character cut at the limit decodes as a replacement character: drop it
        if (n < body.length && text.endsWith("\uFFFD")) {
            text = text.substring(0, text.length() - 1);
        }
        String clean = oneLine(text);
        for (String secret : secrets) {
            clean = clean.replace(secret, "****");
        }
        return n < body.length ? clean + "…" : clean;
    }

    /** Control characters become spaces, runs of spaces one space. */
    static String oneLine(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean space = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean blank = Character.isWhitespace(c) || Character.isISOControl(c) || c == '\uFFFE' || c == '\uFFFF';
            if (blank) {
                if (!space) {
                    out.append(' ');
                }
                space = true;
            } else {
                out.append(c);
                space = false;
            }
        }
        return out.toString().strip();
    }
}
