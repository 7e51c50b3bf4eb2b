package hudson;

import java.io.IOException;

/**
 * Stands in for Jenkins' {@code hudson.AbortException} on the test classpath: what the {@code error} step and a
 * failing {@code sh} throw. Test jobs catch it by this name, so the harness that runs them throws this class.
 */
public class AbortException extends IOException {
    public AbortException(String message) {
        super(message);
    }
}
