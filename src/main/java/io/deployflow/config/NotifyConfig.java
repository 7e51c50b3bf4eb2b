package io.deployflow.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code notify} section: the channels people are told through. Nothing is sent through a channel that is not
 * configured, so a Jenkins without a mail server shows no failed mail step.
 *
 * @param mail true when the steps should also send email with Jenkins' {@code mail} step (Mailer plugin and an
 *             SMTP server needed)
 */
public record NotifyConfig(boolean mail, List<Webhook> webhooks) {
    static final List<String> KEYS = List.of("mail", "webhooks");
    public static final List<String> FORMATS = List.of("slack", "teams");

    /**
     * A chat webhook. Its URL is a secret (Slack and Teams webhook URLs carry their token), so it comes from the
     * environment variable {@code urlEnv}, which the steps bind from the secret-text credential {@code credentialsId}.
     */
    public record Webhook(String name, String format, String urlEnv, String credentialsId) {
        static final List<String> KEYS = List.of("name", "format", "urlEnv", "credentialsId");
        private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
        private static final Pattern ENV = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

        static Webhook from(YamlNode node) {
            node.allowOnly(KEYS);
            String name = node.matching("name", null, NAME, "lowercase letters, digits and '-'");
            if (name == null) {
                node.require("name");
            }
            String format = node.string("format", "slack");
            if (!FORMATS.contains(format)) {
                throw node.require("format").error("must be slack or teams, not '" + format + "'");
            }
            String defaultEnv = "DEPLOYFLOW_WEBHOOK_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
            return new Webhook(name, format, node.matching("urlEnv", defaultEnv, ENV, "an environment variable name"),
                    node.string("credentialsId", null));
        }
    }

    public NotifyConfig {
        webhooks = List.copyOf(webhooks);
    }

    static NotifyConfig defaults() {
        return new NotifyConfig(false, List.of());
    }

    static NotifyConfig from(YamlNode node) {
        node.allowOnly(KEYS);
        List<Webhook> hooks = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (YamlNode item : node.list("webhooks")) {
            Webhook hook = Webhook.from(item);
            if (!names.add(hook.name())) {
                throw item.require("name").error("duplicate webhook name '" + hook.name() + "'");
            }
            hooks.add(hook);
        }
        return new NotifyConfig(node.bool("mail", false), hooks);
    }

    public boolean anyChannel() {
        return mail || !webhooks.isEmpty();
    }
}
