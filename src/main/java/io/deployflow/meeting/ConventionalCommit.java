package io.deployflow.meeting;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a commit message says in Conventional Commits terms: {@code type(scope)!: description}, with a
 * {@code BREAKING CHANGE:} (or {@code BREAKING-CHANGE:}) footer also marking a breaking change. {@code git revert}'s
 * own subject ({@code Revert "..."}) has the type {@code revert}, as semantic-release's parser reads it. Any other
 * subject that does not follow the convention has no type; whether it makes a release is up to the
 * {@code ReleaseRules}.
 */
public record ConventionalCommit(String type, String scope, boolean breaking) {
    private static final Pattern SUBJECT = Pattern.compile("^([A-Za-z]+)(?:\\(([^()\\r\\n]*)\\))?(!)?:\\s");
    private static final Pattern BREAKING_FOOTER = Pattern.compile("^BREAKING[ -]CHANGE:", Pattern.MULTILINE);
    private static final Pattern GIT_REVERT = Pattern.compile("^Revert \"");

    public static ConventionalCommit parse(String fullMessage) {
        int end = fullMessage.indexOf('\n');
        String subject = end < 0 ? fullMessage : fullMessage.substring(0, end);
        Matcher m = SUBJECT.matcher(subject);
        boolean footer = end >= 0 && BREAKING_FOOTER.matcher(fullMessage).find(end);
        if (!m.find()) {
            return new ConventionalCommit(GIT_REVERT.matcher(subject).find() ? "revert" : null, null, footer);
        }
        return new ConventionalCommit(m.group(1).toLowerCase(Locale.ROOT), m.group(2), m.group(3) != null || footer);
    }

    public boolean isFeature() {
        return "feat".equals(type);
    }
}
