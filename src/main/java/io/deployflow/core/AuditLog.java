package io.deployflow.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The audit trail: one JSON line per command run, appended to {@code DEPLOYFLOW_AUDIT_LOG} (the library step points
 * it into the workspace and archives it), else {@code .deployflow/audit.jsonl}. Regulated teams must show who ran
 * what, when, from which build and with what outcome; the command's own --json file holds the details.
 * Written by hand rather than with Jackson so that cheap commands don't pay Jackson's start-up.
 */
public final class AuditLog {
    private final Path file;

    public AuditLog(Path file) {
        this.file = file;
    }

    public static AuditLog fromEnvironment() {
        String configured = System.getenv("DEPLOYFLOW_AUDIT_LOG");
        if (configured == null || configured.isBlank()) {
            configured = System.getProperty("deployflow.audit", Path.of(".deployflow", "audit.jsonl").toString());
        }
        return new AuditLog(Path.of(configured));
    }

    public Path file() {
        return file;
    }

    /** Appends one entry; failing to audit is reported but does not change the command's outcome. */
    public void record(String command, List<String> args, int exitCode) {
        record(command, args, exitCode, System.getenv());
    }

    /**
     * @param env where {@code user} comes from: DEPLOYFLOW_USER, which the library sets to the user who started
     *            the build (or timer, scm, …) because Jenkins' {@code sh} has no USER; else USER, for a person
     *            running the CLI by hand. A command that records a decision or an approval names who made it with
     *            {@code --by}; that id is kept as {@code approver}.
     */
    void record(String command, List<String> args, int exitCode, Map<String, String> env) {
        String user = env.getOrDefault("DEPLOYFLOW_USER", "");
        if (user.isBlank()) {
            user = env.getOrDefault("USER", "");
        }
        // arguments are never meant to hold secrets, but a person can paste one into a reason
        SecretValues secrets = new SecretValues(env, SecretNames.NONE, List.of());
        args = args.stream().map(secrets::text).toList();
        String approver = optionValue(args, "--by");
        String line = "{" + field("time", Instant.now().toString()) + ","
                + field("command", command) + ","
                + "\"args\":" + array(args) + ","
                + "\"exitCode\":" + exitCode + ","
                + field("outcome", outcome(exitCode)) + ","
                + field("user", user) + ","
                + (approver == null ? "" : field("approver", approver) + ",")
                + field("build", env.getOrDefault("BUILD_URL", "")) + "}\n";
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            Progress.line("warning: could not append to the audit log " + file + ": " + e.getMessage());
        }
    }

    /** The value of {@code --name VALUE} or {@code --name=VALUE}, or null. */
    private static String optionValue(List<String> args, String name) {
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals(name) && i + 1 < args.size()) {
                return args.get(i + 1);
            }
            if (args.get(i).startsWith(name + "=")) {
                return args.get(i).substring(name.length() + 1);
            }
        }
        return null;
    }

    static String outcome(int exitCode) {
        return switch (exitCode) {
            case ExitCode.OK -> "ok";
            case ExitCode.CHECK_FAILED -> "check-failed";
            case ExitCode.BAD_INPUT -> "bad-input";
            case ExitCode.OUTSIDE_SYSTEM_FAILED -> "outside-system-failed";
            default -> "internal-error";
        };
    }

    private static String field(String name, String value) {
        return quote(name) + ":" + quote(value);
    }

    private static String array(List<String> values) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            out.append(i == 0 ? "" : ",").append(quote(values.get(i)));
        }
        return out.append(']').toString();
    }

    static String quote(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
