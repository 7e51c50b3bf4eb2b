package io.deployflow.core;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The names of existing cache entries and the ledger's chain depend on these digests staying exactly SHA-256. */
class Sha256Test {
    @Test
    void knownDigestsAndEveryCopyStartsFresh() {
        // FIPS 180-2 examples; asked twice each, so a copy that kept the previous input would show
        for (int i = 0; i < 2; i++) {
            assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Sha256.hex("abc"));
            assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Sha256.hex(""));
        }
        assertEquals(Sha256.hex("Zoë"), Sha256.hex("Zoë".getBytes(StandardCharsets.UTF_8)), "text is UTF-8");
    }
}
