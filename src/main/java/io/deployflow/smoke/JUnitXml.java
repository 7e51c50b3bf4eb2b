package io.deployflow.smoke;

import io.deployflow.core.AtomicFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The report as JUnit XML for Jenkins' {@code junit} step: one suite "smoke", one testcase per route, classname
 * {@code smoke.<component>} so Jenkins groups failures by the component to blame.
 */
public final class JUnitXml {
    private JUnitXml() {
    }

    public static String render(SmokeReport report) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        xml.append("<testsuite name=\"smoke\" tests=\"").append(report.routes().size())
                .append("\" failures=\"").append(report.failures().size())
                .append("\" errors=\"0\" skipped=\"0\" time=\"").append(seconds(report.durationMillis()))
                .append("\" timestamp=\"")
                .append(LocalDateTime.now(ZoneOffset.UTC).withNano(0).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME))
                .append("\">\n");
        xml.append("  <properties>\n    <property name=\"baseUrl\" value=\"").append(escape(report.baseUrl()))
                .append("\"/>\n  </properties>\n");
        for (RouteResult r : report.routes()) {
            xml.append("  <testcase classname=\"smoke.")
                    .append(escape(r.component() == null ? "routes" : r.component()))
                    .append("\" name=\"").append(escape(r.name()))
                    .append("\" time=\"").append(seconds(r.durationMillis())).append('"');
            if (r.passed()) {
                xml.append("/>\n");
                continue;
            }
            String summary = r.message();
            int body = summary.indexOf("; body: ");
            if (body >= 0) {
                summary = summary.substring(0, body);
            }
            xml.append(">\n    <failure message=\"").append(escape(summary)).append("\" type=\"")
                    .append(escape(r.failure())).append("\">")
                    .append(escape(r.method() + " " + r.url() + "\n" + r.message()
                            + "\ncomponent: " + (r.component() == null ? "(none)" : r.component())
                            + "\nrepo-person: " + person(r.repoPerson())))
                    .append("</failure>\n  </testcase>\n");
        }
        return xml.append("</testsuite>\n").toString();
    }

    /** Writes atomically, so a Jenkins junit step never reads half a file. */
    public static void write(Path file, SmokeReport report) {
        try {
            AtomicFile.writeString(file, render(report));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static String person(RepoPerson p) {
        if (p == null || !p.known() && p.email() == null) {
            return "unknown";
        }
        return p.name() + (p.email() == null ? "" : " <" + p.email() + ">")
                + (p.id() == null ? "" : " (" + p.id() + ")");
    }

    /** {@code 1.234}; integer arithmetic, as a String.format per route was a visible cost of a CLI run. */
    static String seconds(long millis) {
        long ms = Math.max(0, millis);
        String fraction = Long.toString(ms % 1000);
        return ms / 1000 + "." + "000".substring(fraction.length()) + fraction;
    }

    /**
     * XML-escapes text for both attributes and content, dropping what XML 1.0 cannot carry at all (most control
     * characters, lone surrogates, U+FFFE/U+FFFF), which a broken service can put in a body.
     */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
                continue;
            }
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                case '\n' -> out.append("&#10;");
                case '\r' -> out.append("&#13;");
                case '\t' -> out.append("&#9;");
                default -> {
                    boolean legal = c >= 0x20 && !Character.isSurrogate(c) && c != 0xFFFE && c != 0xFFFF;
                    if (legal) {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
