package io.deployflow.notify;

import java.util.List;

/**
 * A message for the pipeline to send (mail, chat): the engine decides who is told what, the Jenkins step only
 * delivers it, so the wording is tested here and not in Groovy.
 */
public record Message(List<String> to, String subject, String body) {
    public Message {
        to = List.copyOf(to);
    }
}
