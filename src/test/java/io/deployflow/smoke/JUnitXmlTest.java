package io.deployflow.smoke;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JUnitXmlTest {
    @TempDir
    Path dir;

    @Test
    void textThatXmlCannotCarryIsDroppedAndTheRestEscaped() throws Exception {
        String nasty = "got <b>\"x\" & 'y'</b>\u0000\u0001\u001b[31m \uD800 \uFFFF ok \uD83D\uDE00";
        RouteResult failed = new RouteResult("weird <name> & \"quotes\"", "GET", "http://h/x?a=1&b=2", false, 500,
                1234, nasty, "status", "fhir-gateway", new RepoPerson("dev2", "Dev <Two>", "dev2@example.org", true));
        RouteResult passed = new RouteResult("ok", "GET", "http://h/", true, 200, 5, null, null, null, null);
        SmokeReport report = new SmokeReport("http://h", 1300, List.of(failed, passed));
        JUnitXml.write(dir.resolve("smoke.xml"), report);

        Element suite = SmokeCommandTest.junit(dir.resolve("smoke.xml"));
        assertEquals("2", suite.getAttribute("tests"));
        assertEquals("1", suite.getAttribute("failures"));
        assertEquals("1.300", suite.getAttribute("time"));
        Element testcase = (Element) suite.getElementsByTagName("testcase").item(0);
        assertEquals("weird <name> & \"quotes\"", testcase.getAttribute("name"));
        assertEquals("1.234", testcase.getAttribute("time"));
        Element failure = (Element) testcase.getElementsByTagName("failure").item(0);
        String message = failure.getAttribute("message");
        assertTrue(message.startsWith("got <b>\"x\" & 'y'</b>[31m"), message);
        assertTrue(message.endsWith(" ok \uD83D\uDE00"), "a valid surrogate pair survives: " + message);
        assertFalse(message.contains("\u0000") || message.contains("\uFFFF") || message.contains("\uD800 "));
        assertTrue(failure.getTextContent().startsWith("GET http://h/x?a=1&b=2\n"), failure.getTextContent());
        assertTrue(failure.getTextContent().contains("repo-person: Dev <Two> <dev2@example.org> (dev2)"));
        Element ok = (Element) suite.getElementsByTagName("testcase").item(1);
        assertEquals("smoke.routes", ok.getAttribute("classname"));
        assertEquals(0, ok.getElementsByTagName("failure").getLength());
    }
}
