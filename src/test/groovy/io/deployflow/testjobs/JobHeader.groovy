package io.deployflow.testjobs

import java.nio.file.Files
import java.nio.file.Path

/**
 * The header comments a test job opens with, which an automated run answers and checks:
 * <pre>
 * // needs: registry, docker                 peers, named as in the README (empty: none)
 * // expect: SUCCESS                         SUCCESS | UNSTABLE | FAILURE | ABORTED
 * // inputs: Confirm-plan=approve; Decide-1=DECISION:release-without, REASON:not ready @admin
 * // cannot-run-here: why no automated run can meet the needs (optional; may go on over the next
 * //   comment lines, up to an empty "//")
 * </pre>
 * An input answer is {@code proceed} (or {@code approve}: every parameter keeps its default), {@code abort}, or
 * {@code NAME:value} pairs separated by commas; {@code @user} at its end names who answers (default
 * {@link #BUILD_USER}, the administrator who started the build). Values cannot contain {@code ,} {@code ;} or
 * {@code " @"}.
 */
final class JobHeader {
    static final String BUILD_USER = 'admin'
    static final List<String> RESULTS = ['SUCCESS', 'UNSTABLE', 'FAILURE', 'ABORTED']

    final List<String> needs
    final String expect
    final List<InputAnswer> inputs
    /** Why this job cannot run here, or null. */
    final String cannotRunHere

    private JobHeader(List<String> needs, String expect, List<InputAnswer> inputs, String cannotRunHere) {
        this.needs = needs
        this.expect = expect
        this.inputs = inputs
        this.cannotRunHere = cannotRunHere
    }

    static JobHeader read(Path job) {
        return parse(job.fileName.toString(), Files.readAllLines(job))
    }

    /** @throws IllegalArgumentException naming the file, line and what is wrong */
    static JobHeader parse(String file, List<String> lines) {
        Map<String, String> fields = [:]
        Map<String, Integer> lineOf = [:]
        for (int i = 0; i < lines.size() && lines[i].startsWith('//'); i++) {
            def m = lines[i] =~ /^\/\/ (needs|expect|inputs|cannot-run-here):(.*)$/
            if (m.matches()) {
                if (fields.containsKey(m.group(1))) {
                    throw new IllegalArgumentException("${file}:${i + 1}: '// ${m.group(1)}:' given twice")
                }
                fields[m.group(1)] = m.group(2).trim()
                lineOf[m.group(1)] = i + 1
            } else if (lineOf['cannot-run-here'] == i && lines[i].length() > 3) {
                // the reason may go on over the next comment lines, up to an empty '//'
                fields['cannot-run-here'] += ' ' + lines[i].substring(2).trim()
                lineOf['cannot-run-here'] = i + 1
            }
        }
        ['needs', 'expect', 'inputs'].each {
            if (!fields.containsKey(it)) {
                throw new IllegalArgumentException("${file}: the header has no '// ${it}:' line")
            }
        }
        String expect = fields.expect.replaceAll(/\s*\(.*$/, '')
        if (!(expect in RESULTS)) {
            throw new IllegalArgumentException("${file}:${lineOf.expect}: expect must be one of ${RESULTS}, " +
                    "not '${fields.expect}'")
        }
        List<String> needs = fields.needs.split(/\s*,\s*/).findAll { it }.collect { it.trim() }
        List<InputAnswer> inputs = fields.inputs.split(/\s*;\s*/).findAll { it.trim() }.collect {
            InputAnswer.parse(it.trim(), "${file}:${lineOf.inputs}")
        }
        String reason = fields['cannot-run-here']
        if (reason != null && reason.length() < 10) {
            throw new IllegalArgumentException("${file}:${lineOf['cannot-run-here']}: cannot-run-here needs a " +
                    'reason a reader can act on')
        }
        return new JobHeader(needs, expect, inputs, reason)
    }

    /** One answer to one pause at an {@code input}. */
    static final class InputAnswer {
        final String id
        final boolean abort
        /** Parameter name → the value typed or chosen; empty for proceed/approve. */
        final Map<String, String> values
        final String user

        private InputAnswer(String id, boolean abort, Map<String, String> values, String user) {
            this.id = id
            this.abort = abort
            this.values = values
            this.user = user
        }

        static InputAnswer parse(String text, String where) {
            int eq = text.indexOf('=')
            if (eq <= 0) {
                throw new IllegalArgumentException("${where}: input answer '${text}' is not ID=ANSWER")
            }
            String id = InputIds.canonical(text.substring(0, eq).trim())
            String answer = text.substring(eq + 1).trim()
            String user = BUILD_USER
            def by = answer =~ /^(.*?)\s+@([A-Za-z0-9_.-]+)$/
            if (by.matches()) {
                answer = by.group(1).trim()
                user = by.group(2)
            }
            if (answer in ['proceed', 'approve']) {
                return new InputAnswer(id, false, [:], user)
            }
            if (answer == 'abort') {
                return new InputAnswer(id, true, [:], user)
            }
            Map<String, String> values = [:]
            answer.split(/\s*,\s*/).each { String pair ->
                int colon = pair.indexOf(':')
                if (colon <= 0) {
                    throw new IllegalArgumentException("${where}: input ${id}: '${pair}' is not NAME:value " +
                            '(or answer proceed, approve or abort)')
                }
                values[pair.substring(0, colon).trim()] = pair.substring(colon + 1).trim()
            }
            return new InputAnswer(id, false, values, user)
        }

        @Override
        String toString() {
            return "${id}=${abort ? 'abort' : (values ?: 'proceed')} @${user}"
        }
    }
}
