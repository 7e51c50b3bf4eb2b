package io.deployflow.bluegreen.analysis;

import java.util.List;
import java.util.Set;

/**
 * Recursive-descent parser for {@link Condition}. Types are checked while parsing (number, boolean, the sample
 * list), so {@code result + 1} as a condition, or {@code len(3)}, is refused at validation time with a column,
 * not discovered during a rollout.
 */
final class ConditionParser {
    enum Type { NUMBER, BOOLEAN, SAMPLES }

    /** A typed expression tree node. */
    interface Node {
        Type type();

        Object eval(List<Double> samples);
    }

    private static final Set<String> FUNCTIONS = Set.of("isNaN", "isInf", "abs", "len");
    private final String text;
    private int pos;

    ConditionParser(String text) {
        this.text = text == null ? "" : text;
    }

    Condition parseCondition() {
        skipSpace();
        if (pos >= text.length()) {
            throw error("the condition is empty");
        }
        int start = pos;
        Node root = or();
        skipSpace();
        if (pos < text.length()) {
            throw error("unexpected '" + text.substring(pos) + "'");
        }
        if (root.type() != Type.BOOLEAN) {
            throw new ConditionSyntaxException(start + 1, "the condition must be true or false, e.g. 'result < 0.01'"
                    + ", but this is a " + root.type().name().toLowerCase(java.util.Locale.ROOT));
        }
        return new Condition(text, root);
    }

    private Node or() {
        int leftAt = at();
        Node left = and();
        while (accept("||") || acceptWord("or")) {
            Node l = require(left, Type.BOOLEAN, "||", leftAt);
            int rightAt = at();
            Node r = require(and(), Type.BOOLEAN, "||", rightAt);
            left = bool(s -> (Boolean) l.eval(s) || (Boolean) r.eval(s));
        }
        return left;
    }

    private Node and() {
        int leftAt = at();
        Node left = not();
        while (accept("&&") || acceptWord("and")) {
            Node l = require(left, Type.BOOLEAN, "&&", leftAt);
            int rightAt = at();
            Node r = require(not(), Type.BOOLEAN, "&&", rightAt);
            left = bool(s -> (Boolean) l.eval(s) && (Boolean) r.eval(s));
        }
        return left;
    }

    private Node not() {
        skipSpace();
        if ((peek('!') && !peekAt(1, '=')) || peekWord("not")) {
            if (!accept("!")) {
                acceptWord("not");
            }
            int innerAt = at();
            Node inner = require(not(), Type.BOOLEAN, "!", innerAt);
            return bool(s -> !(Boolean) inner.eval(s));
        }
        return comparison();
    }

    private Node comparison() {
        int leftAt = at();
        Node left = sum();
        skipSpace();
        for (String op : List.of("<=", ">=", "==", "!=", "<", ">")) {
            if (accept(op)) {
                Node l = require(left, Type.NUMBER, op, leftAt);
                int rightAt = at();
                Node r = require(sum(), Type.NUMBER, op, rightAt);
                return bool(s -> compare(op, number(l, s), number(r, s)));
            }
        }
        return left;
    }

    private static boolean compare(String op, double a, double b) {
        return switch (op) {
            case "<" -> a < b;
            case "<=" -> a <= b;
            case ">" -> a > b;
            case ">=" -> a >= b;
            case "==" -> a == b;
            default -> a != b;
        };
    }

    private Node sum() {
        int leftAt = at();
        Node left = product();
        while (true) {
            skipSpace();
            if (peek('+') || peek('-')) {
                char op = text.charAt(pos++);
                Node l = require(left, Type.NUMBER, String.valueOf(op), leftAt);
                int rightAt = at();
                Node r = require(product(), Type.NUMBER, String.valueOf(op), rightAt);
                left = op == '+' ? num(s -> number(l, s) + number(r, s)) : num(s -> number(l, s) - number(r, s));
            } else {
                return left;
            }
        }
    }

    private Node product() {
        int leftAt = at();
        Node left = unary();
        while (true) {
            skipSpace();
            if (peek('*') || peek('/')) {
                char op = text.charAt(pos++);
                Node l = require(left, Type.NUMBER, String.valueOf(op), leftAt);
                int rightAt = at();
                Node r = require(unary(), Type.NUMBER, String.valueOf(op), rightAt);
                left = op == '*' ? num(s -> number(l, s) * number(r, s)) : num(s -> number(l, s) / number(r, s));
            } else {
                return left;
            }
        }
    }

    private Node unary() {
        skipSpace();
        if (peek('-')) {
            pos++;
            int innerAt = at();
            Node inner = require(unary(), Type.NUMBER, "-", innerAt);
            return num(s -> -number(inner, s));
        }
        return primary();
    }

    private Node primary() {
        skipSpace();
        if (pos >= text.length()) {
            throw error("the condition ends too early");
        }
        char c = text.charAt(pos);
        if (c == '(') {
            pos++;
            Node inner = or();
            expect(")");
            return inner;
        }
        if (Character.isDigit(c) || c == '.') {
            return numberLiteral();
        }
        if (Character.isLetter(c)) {
            int start = pos;
            String word = word();
            switch (word) {
                case "true":
                    return bool(s -> true);
                case "false":
                    return bool(s -> false);
                case "result":
                    return result();
                default:
                    if (FUNCTIONS.contains(word)) {
                        return function(word, start);
                    }
                    throw new ConditionSyntaxException(start + 1, "unknown name '" + word
                            + "'; use result, result[i], len(result), isNaN(x), isInf(x), abs(x)");
            }
        }
        throw error("unexpected '" + c + "'");
    }

    private Node result() {
        skipSpace();
        if (accept("[")) {
            skipSpace();
            int start = pos;
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                pos++;
            }
            if (start == pos) {
                throw error("expected a sample index such as result[0]");
            }
            int index = Integer.parseInt(text.substring(start, pos));
            expect("]");
            return num(s -> sample(s, index));
        }
        // Plain 'result' is the first sample, except inside len(...), which asks for the list (see function()).
        return new Node() {
            @Override
            public Type type() {
                return Type.NUMBER;
            }

            @Override
            public Object eval(List<Double> samples) {
                return sample(samples, 0);
            }
        };
    }

    private static double sample(List<Double> samples, int index) {
        if (index >= samples.size()) {
            throw new IllegalArgumentException("result[" + index + "] does not exist: the query returned "
                    + samples.size() + " sample(s)");
        }
        return samples.get(index);
    }

    private Node function(String name, int start) {
        expect("(");
        if (name.equals("len")) {
            skipSpace();
            int argStart = pos;
            if (!word().equals("result")) {
                throw new ConditionSyntaxException(argStart + 1, "len(...) takes result only");
            }
            expect(")");
            return num(s -> (double) s.size());
        }
        int argAt = at();
        Node arg = require(or(), Type.NUMBER, name, argAt);
        expect(")");
        return switch (name) {
            case "isNaN" -> bool(s -> Double.isNaN(number(arg, s)));
            case "isInf" -> bool(s -> Double.isInfinite(number(arg, s)));
            default -> num(s -> Math.abs(number(arg, s)));
        };
    }

    private Node numberLiteral() {
        int start = pos;
        while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.'
                || text.charAt(pos) == 'e' || text.charAt(pos) == 'E'
                || ((text.charAt(pos) == '-' || text.charAt(pos) == '+')
                && (text.charAt(pos - 1) == 'e' || text.charAt(pos - 1) == 'E')))) {
            pos++;
        }
        String literal = text.substring(start, pos);
        try {
            double value = Double.parseDouble(literal);
            return num(s -> value);
        } catch (NumberFormatException e) {
            throw new ConditionSyntaxException(start + 1, "'" + literal + "' is not a number");
        }
    }

    private static double number(Node node, List<Double> samples) {
        return (Double) node.eval(samples);
    }

    /** The position of the next token (after spaces), 0-based. */
    private int at() {
        skipSpace();
        return pos;
    }

    private Node require(Node node, Type type, String operator, int start) {
        if (node.type() != type) {
            throw new ConditionSyntaxException(start + 1, "'" + operator + "' needs a " + type.name().toLowerCase(java.util.Locale.ROOT)
                    + ", not a " + node.type().name().toLowerCase(java.util.Locale.ROOT));
        }
        return node;
    }

    private interface Eval {
        Object apply(List<Double> samples);
    }

    private static Node typed(Type type, Eval eval) {
        return new Node() {
            @Override
            public Type type() {
                return type;
            }

            @Override
            public Object eval(List<Double> samples) {
                return eval.apply(samples);
            }
        };
    }

    private static Node bool(Eval eval) {
        return typed(Type.BOOLEAN, eval);
    }

    private static Node num(Eval eval) {
        return typed(Type.NUMBER, eval);
    }

    private String word() {
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private boolean peek(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private boolean peekAt(int offset, char c) {
        return pos + offset < text.length() && text.charAt(pos + offset) == c;
    }

    private boolean peekWord(String w) {
        return text.startsWith(w, pos) && (pos + w.length() == text.length()
                || !Character.isLetterOrDigit(text.charAt(pos + w.length())));
    }

    private boolean accept(String token) {
        skipSpace();
        if (text.startsWith(token, pos)) {
            pos += token.length();
            return true;
        }
        return false;
    }

    private boolean acceptWord(String w) {
        skipSpace();
        if (peekWord(w)) {
            pos += w.length();
            return true;
        }
        return false;
    }

    private void expect(String token) {
        if (!accept(token)) {
            throw error("expected '" + token + "'");
        }
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private ConditionSyntaxException error(String message) {
        return new ConditionSyntaxException(pos + 1, message);
    }
}
