package io.deployflow.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The one JSON mapper; built on first use so commands that write no JSON never pay Jackson's start-up. */
public final class Json {
    private Json() {
    }

    private static final class Holder {
        static final ObjectMapper MAPPER = JsonMapper.builder()
                .findAndAddModules()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .build();
    }

    public static ObjectMapper mapper() {
        return Holder.MAPPER;
    }

    /**
     * Starts building the mapper on another thread, for a command that needs it only after work of its own: in a
     * new JVM building it takes ~60 ms (Jackson's set-up, time zone and locale data), which then runs on the second
     * core while the command reads its input. A caller that gets there first waits for it, as with any class
     * initialisation.
     */
    public static void prepareInBackground() {
        Thread build = new Thread(Json::mapper, "json-mapper");
        build.setDaemon(true);
        build.start();
    }

    /** Writes the result atomically: a half-written result file would mislead the pipeline step that reads it. */
    public static void write(Path file, Object value) {
        writeAtomically(file, out -> mapper().writeValue(out, value));
    }

    /** What writes a result's bytes. */
    @FunctionalInterface
    private interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    /** What writes a result token by token. */
    @FunctionalInterface
    public interface StreamWriter {
        void writeTo(JsonGenerator json) throws IOException;
    }

    /**
     * Writes a result with Jackson's streaming generator alone, indented as the mapper indents, atomically: for large
     * results in a step's new JVM, where building the mapper and introspecting records costs more than the writing.
     */
    public static void writeStreaming(Path file, StreamWriter writer) {
        writeAtomically(file, out -> {
            try (JsonGenerator json = new JsonFactory().createGenerator(out).useDefaultPrettyPrinter()) {
                writer.writeTo(json);
            }
        });
    }

    /** Writes a file atomically: readers see the old file or the whole new one. */
    private static void writeAtomically(Path file, Writer writer) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, ".deployflow", ".json");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                writer.writeTo(out);
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public static <T> T read(Path file, Class<T> type) {
        try {
            return mapper().readValue(file.toFile(), type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new BadInputException(file.toString(), line, null, "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadInputException(file.toString(), 0, null, "cannot read: " + e.getMessage());
        }
    }
}
