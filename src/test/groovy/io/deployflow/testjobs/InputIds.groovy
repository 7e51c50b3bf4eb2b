package io.deployflow.testjobs

/** The input step capitalises its id (`gate` → `Gate`), and that is the id Jenkins shows and a header names. */
final class InputIds {
    private InputIds() {
    }

    static String canonical(String id) {
        return id ? id.substring(0, 1).toUpperCase(Locale.ROOT) + id.substring(1) : id
    }
}
