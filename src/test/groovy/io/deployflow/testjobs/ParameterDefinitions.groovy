package io.deployflow.testjobs

/**
 * Build and input parameters as the {@code string}/{@code choice}/{@code booleanParam}/{@code text}/
 * {@code password} definitions describe them: their default, and the value a person can give.
 */
final class ParameterDefinitions {
    static final Set<String> TYPES = ['string', 'choice', 'booleanParam', 'text', 'password'] as Set

    private ParameterDefinitions() {
    }

    static Map define(String type, Map args) {
        if (!args.name) {
            throw new HarnessStop("a ${type} parameter needs a name: ${args}")
        }
        return [kind: 'parameter', type: type] + args
    }

    static List<String> choices(Map p) {
        Object c = p.choices
        return c instanceof CharSequence ? c.toString().readLines() : (c as List).collect { it.toString() }
    }

    /** What a parameter is when nobody changes it: the first choice, false, or the default text. */
    static Object defaultOf(Map p) {
        switch (p.type) {
            case 'choice': return choices(p)[0]
            case 'booleanParam': return p.defaultValue == true
            default: return p.defaultValue == null ? '' : p.defaultValue.toString()
        }
    }

    static Object valueOf(Map p, String given, String where) {
        switch (p.type) {
            case 'choice':
                if (!(given in choices(p))) {
                    throw new HarnessStop("${where}: '${given}' is not one of ${p.name}'s choices ${choices(p)}")
                }
                return given
            case 'booleanParam':
                if (!(given in ['true', 'false'])) {
                    throw new HarnessStop("${where}: ${p.name} is a booleanParam; answer true or false")
                }
                return given == 'true'
            default:
                return given
        }
    }
}
