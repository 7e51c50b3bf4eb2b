package io.deployflow.ledger;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Finds what was done to a ledger after it was written, and names the line: an entry edited (its text no longer
 * matches its hash, or, when the hash was recomputed too, the next entry no longer links to it), an entry removed
 * (a number missing from 1, 2, 3, …), entries reordered, a line that is not an entry. In a git ledger it also reads
 * every version the file had: each must begin with the one before, so a rewrite that recomputed every hash, or a
 * removed last entry, is found too and named by its commit.
 */
public final class LedgerVerifier {
    private LedgerVerifier() {
    }

    /** @param kind malformed, edited, removed, duplicated, reordered or rewritten */
    public record Problem(int line, String kind, String message) {
    }

    public record Report(String file, int entries, int versions, List<Problem> problems) {
        public boolean intact() {
            return problems.isEmpty();
        }
    }

    private record Line(int number, String text, LedgerEntry entry, boolean hashOk) {
    }

    static Report verify(String file, String text, List<LedgerStore.Version> history) {
        List<Problem> problems = new ArrayList<>();
        List<Line> lines = new ArrayList<>();
        String[] raw = text == null ? new String[0] : text.split("\n", -1);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i].isBlank()) {
                continue;
            }
            try {
                lines.add(new Line(i + 1, raw[i], LedgerEntry.parse(raw[i]), LedgerEntry.hashMatches(raw[i])));
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(i + 1, "malformed", "line " + (i + 1) + " is not a ledger entry ("
                        + e.getMessage() + ")"));
            }
        }
        for (Line line : lines) {
            if (!line.hashOk) {
                problems.add(new Problem(line.number, "edited", "line " + line.number + " (entry "
                        + line.entry.seq() + ", " + line.entry.type() + ") was edited: its text no longer matches"
                        + " its hash"));
            }
        }
        Set<Long> edited = new HashSet<>();
        lines.stream().filter(l -> !l.hashOk).forEach(l -> edited.add(l.entry.seq()));
        checkNumbers(lines, problems);
        for (int i = 1; i < lines.size(); i++) {
            Line before = lines.get(i - 1);
            Line line = lines.get(i);
            boolean consecutive = line.entry.seq() == before.entry.seq() + 1;
            if (consecutive && !line.entry.prev().equals(before.entry.hash())
                    && !edited.contains(before.entry.seq()) && !edited.contains(line.entry.seq())) {
                problems.add(new Problem(before.number, "edited", "line " + before.number + " (entry "
                        + before.entry.seq() + ") was replaced: entry " + line.entry.seq() + " on line "
                        + line.number + " was chained to a different entry " + before.entry.seq()));
            }
        }
        if (!lines.isEmpty() && lines.get(0).entry.seq() == 1
                && !LedgerEntry.GENESIS.equals(lines.get(0).entry.prev())) {
            problems.add(new Problem(lines.get(0).number, "edited", "line " + lines.get(0).number
                    + " (entry 1) does not start a chain: its prev is not the genesis hash"));
        }
        checkHistory(history, problems);
        problems.sort(java.util.Comparator.comparingInt(Problem::line));
        return new Report(file, lines.size(), history.size(), List.copyOf(problems));
    }

    /** Entries are numbered 1, 2, 3, … in file order: a gap is a removal, a repeat an insertion, else an order. */
    private static void checkNumbers(List<Line> lines, List<Problem> problems) {
        TreeMap<Long, List<Integer>> where = new TreeMap<>();
        for (Line line : lines) {
            where.computeIfAbsent(line.entry.seq(), s -> new ArrayList<>()).add(line.number);
        }
        where.forEach((seq, at) -> {
            if (at.size() > 1) {
                problems.add(new Problem(at.get(1), "duplicated", "entry " + seq + " appears " + at.size()
                        + " times, on lines " + join(at)));
            }
        });
        long expected = 1;
        for (Map.Entry<Long, List<Integer>> e : where.entrySet()) {
            if (e.getKey() > expected) {
                int next = e.getValue().get(0);
                String missing = e.getKey() - 1 == expected ? "entry " + expected
                        : "entries " + expected + " to " + (e.getKey() - 1);
                problems.add(new Problem(next, "removed", missing + " removed: missing before line " + next
                        + " (entry " + e.getKey() + ")"));
            }
            expected = e.getKey() + 1;
        }
        List<Long> inFileOrder = lines.stream().map(l -> l.entry.seq()).toList();
        List<Long> sorted = inFileOrder.stream().sorted().toList();
        Map<Integer, Long> misplaced = new LinkedHashMap<>();
        for (int i = 0; i < inFileOrder.size(); i++) {
            if (!inFileOrder.get(i).equals(sorted.get(i))) {
                misplaced.put(lines.get(i).number, inFileOrder.get(i));
            }
        }
        if (!misplaced.isEmpty()) {
            List<String> described = new ArrayList<>();
            misplaced.forEach((line, seq) -> described.add("line " + line + " holds entry " + seq));
            problems.add(new Problem(misplaced.keySet().iterator().next(), "reordered", "entries reordered: "
                    + String.join(", ", described)));
        }
    }

    /** Each version of a git ledger must begin with the version before it: appending is the only change. */
    private static void checkHistory(List<LedgerStore.Version> history, List<Problem> problems) {
        for (int i = 1; i < history.size(); i++) {
            LedgerStore.Version before = history.get(i - 1);
            LedgerStore.Version after = history.get(i);
            String old = before.text() == null ? "" : before.text();
            if (after.text() == null) {
                problems.add(new Problem(0, "rewritten", "commit " + after.commit() + " (" + after.author() + ", "
                        + after.time() + ") deleted the ledger"));
                continue;
            }
            if (!after.text().startsWith(old)) {
                int line = firstDifferentLine(old, after.text());
                problems.add(new Problem(line, "rewritten", "commit " + after.commit() + " (" + after.author() + ", "
                        + after.time() + ") changed line " + line + ", written before by commit " + before.commit()
                        + ": the ledger may only be appended to"));
            }
        }
    }

    private static int firstDifferentLine(String a, String b) {
        String[] x = a.split("\n", -1);
        String[] y = b.split("\n", -1);
        for (int i = 0; i < x.length; i++) {
            if (i >= y.length || !x[i].equals(y[i])) {
                return i + 1;
            }
        }
        return x.length;
    }

    private static String join(List<Integer> numbers) {
        return String.join(", ", numbers.stream().map(String::valueOf).toList());
    }
}
