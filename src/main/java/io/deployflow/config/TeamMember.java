package io.deployflow.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A person on the team. {@code id} is the Jenkins user id: approvals and decisions come back from Jenkins' input
 * step as that id, and git authorship is matched through {@code emails}.
 */
public record TeamMember(String id, String name, List<String> emails, List<String> roles) {
    static final List<String> KEYS = List.of("id", "name", "emails", "roles");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._@-]+");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");

    static TeamMember from(YamlNode node) {
        node.allowOnly(KEYS);
        String id = node.matching("id", null, ID, "a Jenkins user id: letters, digits, . _ @ -");
        if (id == null) {
            node.require("id");
        }
        List<String> emails = new ArrayList<>();
        for (YamlNode email : node.requireItems("emails", "git authors are matched to people through them")) {
            if (!EMAIL.matcher(email.asString()).matches()) {
                throw email.error("'" + email.asString() + "' is not an email address");
            }
            emails.add(email.asString());
        }
        return new TeamMember(id, node.string("name", id),
                emails.stream().map(e -> e.toLowerCase(Locale.ROOT)).toList(), node.strings("roles"));
    }

    public boolean hasEmail(String email) {
        return email != null && emails.contains(email.toLowerCase(Locale.ROOT));
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /** The address to write to: the first listed. */
    public String primaryEmail() {
        return emails.get(0);
    }
}
