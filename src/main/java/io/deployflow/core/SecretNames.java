package io.deployflow.core;

import java.util.regex.Pattern;

/** The one rule for "this variable name looks like it holds a secret" (union of the delivery and portainer rules). */
public final class SecretNames {
    private static final Pattern SECRET = Pattern.compile(
            "(?i).*(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|KEY|PRIVATE|CREDENTIAL|PASS).*");

    private SecretNames() {
    }

    public static boolean looksSecret(String name) {
        return name != null && SECRET.matcher(name).matches();
    }
}
