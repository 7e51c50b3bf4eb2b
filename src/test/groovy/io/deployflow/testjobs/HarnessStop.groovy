package io.deployflow.testjobs

/**
 * Something an automated run must not turn into a build result: a step or directive the harness does not
 * interpret, an input the header does not answer, a credential it does not hold. It fails the test whatever the
 * job expects, so a job that expects FAILURE can never pass because the harness fell short.
 */
class HarnessStop extends Error {
    HarnessStop(String message) {
        super(message)
    }
}
