package io.deployflow.release.notes;

import io.deployflow.core.BadInputException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TemplateTest {
    private static String render(String template, Map<String, Object> model) {
        return Template.parse("t.md", template).render(model, NotesFormat.MARKDOWN);
    }

    @Test
    void sectionsRepeatNestAndStandaloneTagLinesVanish() {
        String template = """
                # {{title}}
                {{#items}}
                - {{name}} of {{title}}{{#flag}} (flagged){{/flag}}
                {{/items}}
                {{^items}}
                none
                {{/items}}
                end
                """;
        Map<String, Object> model = Map.of("title", "T_1", "items", List.of(
                Map.of("name", "a", "flag", true), Map.of("name", "b", "flag", false)));
        assertEquals("# T\\_1\n- a of T\\_1 (flagged)\n- b of T\\_1\nend\n", render(template, model));
        assertEquals("# x\nnone\nend\n", render(template, Map.of("title", "x", "items", List.of())));
    }

    @Test
    void markupIsInsertedAsIsAndTextIsEscaped() {
        assertEquals("[a](u) \\*b\\*", render("{{m}} {{t}}", Map.of("m", new Template.Markup("[a](u)"), "t", "*b*")));
    }

    @Test
    void unknownPlaceholderNamesTheTemplateLine() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> render("line one\n{{titel}}\n", Map.of("title", "x")));
        assertEquals("t.md", e.file());
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("known here: title"), e.getMessage());
    }

    @Test
    void unbalancedSectionsAreRefusedWithTheirLines() {
        BadInputException unclosed = assertThrows(BadInputException.class,
                () -> Template.parse("t.md", "a\n{{#items}}\nb\n"));
        assertEquals(2, unclosed.line());
        BadInputException crossed = assertThrows(BadInputException.class,
                () -> Template.parse("t.md", "{{#a}}\n{{#b}}\n{{/a}}\n{{/b}}\n"));
        assertEquals(3, crossed.line());
        assertTrue(crossed.getMessage().contains("{{#b}} from line 2"), crossed.getMessage());
    }
}
