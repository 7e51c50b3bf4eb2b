package io.deployflow.core;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Several things wrong with one input, reported together so that a user fixes them in one round rather than one
 * per run. Each problem keeps its own file, line and field; the message is one problem per line, in file order.
 * It is still a {@link BadInputException}: exit 2, nothing changed.
 */
public class InputProblemsException extends BadInputException {
    private final List<BadInputException> problems;

    /** @param problems two or more, already in the order they should be read */
    public InputProblemsException(List<BadInputException> problems) {
        super(problems.get(0).file(), problems.get(0).line(), problems.get(0).field(), "");
        this.problems = List.copyOf(problems);
    }

    public List<BadInputException> problems() {
        return problems;
    }

    @Override
    public String getMessage() {
        return problems.stream().map(BadInputException::getMessage).collect(Collectors.joining("\n"));
    }
}
