package io.deployflow.meeting;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The memories are written with DataOutputStream and read with {@link EntryReader}: both must agree on every field. */
class EntryReaderTest {
    private static final String SHA = "c27f4da0fb6345f00bc6b047e55ea11c405b578f";

    @Test
    void readsBackWhatDataOutputStreamWrote() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(-2);
            out.writeLong(1_700_000_000_123L);
            out.writeLong(-1L);
            out.writeBoolean(true);
            out.writeBoolean(false);
            ScanMemory.string(out, "Zoë \"Z\" Outsider — 患者");
            out.writeBoolean(false); // an absent optional
            out.writeBoolean(true);
            ScanMemory.string(out, "");
            ScanMemory.string(out, SHA);
            out.writeInt(3);
        }
        EntryReader in = new EntryReader(bytes.toByteArray());
        assertEquals(-2, in.readInt());
        assertEquals(1_700_000_000_123L, in.readLong());
        assertEquals(-1L, in.readLong());
        assertTrue(in.readBoolean());
        assertFalse(in.readBoolean());
        assertEquals("Zoë \"Z\" Outsider — 患者", in.string());
        assertNull(in.optional());
        assertEquals("", in.optional());
        assertEquals(SHA, in.sha());
        assertFalse(in.atEnd());
        assertEquals(3, in.count());
        assertTrue(in.atEnd());
    }

    @Test
    void aDamagedEntryIsAnErrorNotAGuess() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            ScanMemory.string(out, "a string cut short");
        }
        byte[] whole = bytes.toByteArray();
        assertThrows(IOException.class, () -> new EntryReader(Arrays.copyOf(whole, whole.length - 1)).string());
        assertThrows(IOException.class, () -> new EntryReader(new byte[] {0, 0}).readInt());
        assertThrows(IOException.class, () -> new EntryReader(new byte[] {-1, -1, -1, -1}).string(), "length -1");
        assertThrows(IOException.class, () -> new EntryReader(new byte[] {-1, -1, -1, -1}).count(), "count -1");
        assertThrows(IOException.class, () -> new EntryReader(new byte[] {0x7f, 0, 0, 0}).count(), "no such count");
        ByteArrayOutputStream notAnId = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(notAnId)) {
            ScanMemory.string(out, "not-a-commit-id");
        }
        assertThrows(IOException.class, () -> new EntryReader(notAnId.toByteArray()).sha());
        assertEquals("a string cut short", new EntryReader(whole).string(), "control: the whole entry reads");
    }
}
