package io.deployflow.stack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Parses one complete HTTP/1.1 response read up to connection close, as {@link EngineApi} receives it. */
final class HttpResponseParser {
    private HttpResponseParser() {
    }

    static EngineApi.Response parse(byte[] raw) throws IOException {
        int headEnd = indexOf(raw, new byte[] {'\r', '\n', '\r', '\n'}, 0);
        if (headEnd < 0) {
            throw new IOException("engine closed the connection before a complete HTTP header ("
                    + raw.length + " bytes)");
        }
        String[] lines = new String(raw, 0, headEnd, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP answer: " + lines[0]);
        }
        int status;
        try {
            status = Integer.parseInt(statusLine[1]);
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP status line: " + lines[0], e);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        int bodyStart = headEnd + 4;
        byte[] body;
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(raw, bodyStart);
        } else if (headers.containsKey("content-length")) {
            int length = Integer.parseInt(headers.get("content-length"));
            body = java.util.Arrays.copyOfRange(raw, bodyStart, Math.min(raw.length, bodyStart + length));
        } else {
            body = java.util.Arrays.copyOfRange(raw, bodyStart, raw.length);
        }
        return new EngineApi.Response(status, headers, body);
    }

    private static byte[] dechunk(byte[] raw, int start) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int i = start;
        while (true) {
            int lineEnd = indexOf(raw, new byte[] {'\r', '\n'}, i);
            if (lineEnd < 0) {
                throw new IOException("truncated chunked body");
            }
            String sizeText = new String(raw, i, lineEnd - i, StandardCharsets.US_ASCII);
            int semicolon = sizeText.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeText : sizeText.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                return body.toByteArray();
            }
            int dataStart = lineEnd + 2;
            if (dataStart + size > raw.length) {
                throw new IOException("truncated chunked body");
            }
            body.write(raw, dataStart, size);
            i = dataStart + size + 2;
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
