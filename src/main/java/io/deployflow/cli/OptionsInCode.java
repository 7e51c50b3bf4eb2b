package io.deployflow.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;

import java.util.function.Consumer;

/**
 * Building blocks for the commands whose picocli model is written in code instead of annotations: the ones pipelines
 * run most and on large inputs (the release meeting, smoke). Reading the annotations costs a new JVM ~30 ms per
 * command (reflection over the fields, and a proxy class per annotation type, which the class-data archive cannot
 * hold); a model built in code takes ~4 ms. Such a command implements {@link InCode}; {@link Main} asks it for its
 * model. Their usage text and parsing are checked in {@code OptionsInCodeTest}.
 */
final class OptionsInCode {
    private OptionsInCode() {
    }

    /** A command that builds its own model. */
    interface InCode {
        CommandSpec spec();
    }

    /**
     * The command's model with its description and the standard {@code -h}/{@code -V} options, written out: picocli's
     * own {@code mixinStandardHelpOptions} reads them from an annotated class, which is what this avoids.
     */
    static CommandSpec command(Object command, String name, String... description) {
        CommandSpec spec = CommandSpec.wrapWithoutInspection(command).name(name);
        spec.usageMessage().description(description);
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                .description("Show this help message and exit.").build());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
                .description("Print version information and exit.").build());
        return spec;
    }

    /** An option that hands its converted value to {@code field}. */
    static OptionSpec.Builder option(String name, Class<?> type, String paramLabel, Consumer<Object> field,
                                     String description) {
        // no initial value: the fields start as Java initialises them, and picocli does not reset them to null first
        return OptionSpec.builder(name).type(type).paramLabel(paramLabel).description(description)
                .hasInitialValue(false).setter(new ISetter() {
                    @Override
                    public <T> T set(T value) {
                        field.accept(value);
                        return null;
                    }
                });
    }
}
