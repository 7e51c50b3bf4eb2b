package io.deployflow.config;

import io.deployflow.core.BadInputException;
import io.deployflow.core.InputProblemsException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Collects what is wrong with an input file, so that one run reports all of it in file order. Readers such as
 * {@code Component.from(YamlNode)} keep throwing {@link BadInputException} at the first problem of what they read;
 * the loader runs each key and each list item through {@link #attempt} and goes on with the next one, so one
 * mistake hides no other. A {@link YamlNode} made with {@link YamlNode#reportingTo} also sends every unknown key
 * here instead of stopping at the first.
 */
public final class Problems {
    /** Keyed by message, so a problem two checks both see is reported once. */
    private final Map<String, BadInputException> found = new LinkedHashMap<>();

    public void add(BadInputException problem) {
        if (problem instanceof InputProblemsException many) {
            many.problems().forEach(this::add);
        } else {
            found.putIfAbsent(problem.getMessage(), problem);
        }
    }

    /** Runs a reader; when it refuses its input the problem is recorded and the result is null. */
    public <T> T attempt(Supplier<T> reader) {
        try {
            return reader.get();
        } catch (BadInputException e) {
            add(e);
            return null;
        }
    }

    /** Runs a check; when it refuses, the problem is recorded. */
    public void check(Runnable check) {
        attempt(() -> {
            check.run();
            return null;
        });
    }

    public boolean isEmpty() {
        return found.isEmpty();
    }

    /**
     * Throws when anything was found: a single problem exactly as it was thrown (so it reads as it always did), or
     * all of them in file order, problems on the same line in the order they were found.
     */
    public void throwIfAny() {
        if (found.isEmpty()) {
            return;
        }
        List<BadInputException> all = new ArrayList<>(found.values());
        if (all.size() == 1) {
            throw all.get(0);
        }
        List<String> files = all.stream().map(p -> String.valueOf(p.file())).distinct().toList();
        all.sort(Comparator.<BadInputException>comparingInt(p -> files.indexOf(String.valueOf(p.file())))
                .thenComparingInt(BadInputException::line));
        throw new InputProblemsException(all);
    }
}
