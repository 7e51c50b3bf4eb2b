package io.deployflow.delivery;

import io.deployflow.core.BadInputException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReadmeSectionsTest {
    @Test
    void replacesOnlyBetweenTheMarkers() {
        String readme = "intro\n<!-- deployflow:versions -->\nold\nlines\n<!-- /deployflow:versions -->\noutro\n";

        String out = ReadmeSections.replace("README.md", readme, "versions", "Versions", "new\n");

        assertEquals("intro\n<!-- deployflow:versions -->\nnew\n<!-- /deployflow:versions -->\noutro\n", out);
    }

    @Test
    void appendsASectionWithMarkersWhenMissing() {
        String out = ReadmeSections.replace("README.md", "# Title\nno newline at end", "versions", "Versions",
                "table\n");

        assertEquals("# Title\nno newline at end\n\n## Versions\n\n<!-- deployflow:versions -->\ntable\n"
                + "<!-- /deployflow:versions -->\n", out);
    }

    @Test
    void replacingTwiceGivesTheSameTextAndNewContentReplacesTheOld() {
        String once = ReadmeSections.replace("README.md", "# T\n", "configuration", "Configuration", "a\nb\n");
        assertEquals("# T\n\n## Configuration\n\n<!-- deployflow:configuration -->\na\nb\n"
                + "<!-- /deployflow:configuration -->\n", once);

        assertEquals(once, ReadmeSections.replace("README.md", once, "configuration", "Configuration", "a\nb\n"));
        assertEquals(once.replace("a\nb\n", "c\n"),
                ReadmeSections.replace("README.md", once, "configuration", "Configuration", "c\n"));
    }

    @Test
    void keepsWindowsLineEndings() {
        String readme = "intro\r\n<!-- deployflow:versions -->\r\nold\r\n<!-- /deployflow:versions -->\r\n";

        String out = ReadmeSections.replace("README.md", readme, "versions", "Versions", "a\nb\n");

        assertEquals("intro\r\n<!-- deployflow:versions -->\r\na\r\nb\r\n<!-- /deployflow:versions -->\r\n", out);
    }

    @Test
    void anOpeningMarkerWithoutClosingIsRefusedWithItsLine() {
        String readme = "# T\n\ntext\n<!-- deployflow:versions -->\nrest\n";

        BadInputException e = assertThrows(BadInputException.class,
                () -> ReadmeSections.replace("README.md", readme, "versions", "Versions", "x\n"));

        assertEquals("README.md", e.file());
        assertEquals(4, e.line());
        assertTrue(e.getMessage().contains("<!-- /deployflow:versions -->"), e.getMessage());
    }

    @Test
    void aClosingMarkerBeforeTheOpeningIsRefused() {
        String readme = "# T\n<!-- /deployflow:versions -->\n<!-- deployflow:versions -->\n";

        BadInputException e = assertThrows(BadInputException.class,
                () -> ReadmeSections.replace("README.md", readme, "versions", "Versions", "x\n"));

        assertEquals("README.md", e.file());
        assertEquals(3, e.line(), "the opening marker's line");
        assertTrue(e.getMessage().contains("needs exactly one <!-- deployflow:versions --> followed by one"),
                e.getMessage());
    }

    @Test
    void aSecondOpeningMarkerIsRefusedWithTheFirstOnesLine() {
        String readme = "<!-- deployflow:versions -->\na\n<!-- deployflow:versions -->\n<!-- /deployflow:versions -->\n";

        BadInputException e = assertThrows(BadInputException.class,
                () -> ReadmeSections.replace("README.md", readme, "versions", "Versions", "x\n"));

        assertEquals(1, e.line());
        assertTrue(e.getMessage().contains("exactly one"), e.getMessage());
    }
}
