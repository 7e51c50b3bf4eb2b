package io.deployflow.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Path;
import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The commands whose model is written in code (the release meeting and smoke) parse and explain themselves as the
 * annotated commands do: values reach the fields, defaults apply when an option is absent, a required option is
 * required, and the usage text names every option with its label, its description and the default filled in.
 */
class OptionsInCodeTest {
    @Test
    void smokeOptionsReachTheCommandWithTheirDefaults() {
        SmokeCommand smoke = new SmokeCommand();
        new CommandLine(smoke.spec()).parseArgs("--routes", "routes.yaml", "--junit", "smoke.xml", "--json",
                "smoke.json", "--base-url", "http://127.0.0.1:8080", "--route-timeout", "3s");
        assertEquals(Path.of("routes.yaml"), smoke.routes);
        assertEquals(Path.of("smoke.xml"), smoke.junit);
        assertEquals(Path.of("smoke.json"), smoke.json.file);
        assertEquals("http://127.0.0.1:8080", smoke.baseUrl);
        assertEquals("3s", smoke.routeTimeout);
        assertEquals(16, smoke.concurrency, "the default");
        assertEquals("120s", smoke.readyTimeout, "the default");
        assertNull(smoke.plan);
        assertNull(smoke.config);

        SmokeCommand other = new SmokeCommand();
        new CommandLine(other.spec()).parseArgs("--routes", "r.yaml", "--concurrency", "4");
        assertEquals(4, other.concurrency);
        assertThrows(CommandLine.MissingParameterException.class,
                () -> new CommandLine(new SmokeCommand().spec()).parseArgs("--junit", "x.xml"));
    }

    @Test
    void meetingOptionsReachTheCommandWithTheirDefaults() {
        ReleaseMeetingCommand meeting = new ReleaseMeetingCommand();
        new CommandLine(meeting.spec()).parseArgs("--config", "deployflow.yaml", "--date", "2026-11-23");
        assertEquals(Path.of("deployflow.yaml"), meeting.config.file);
        assertEquals(LocalDate.of(2026, 11, 23), meeting.date);
        assertEquals(0, meeting.concurrency, "the default: 2 per core");
        assertNull(meeting.cache);
        assertNull(meeting.json.file);
        assertThrows(CommandLine.MissingParameterException.class,
                () -> new CommandLine(new ReleaseMeetingCommand().spec()).parseArgs("--date", "2026-11-23"));
    }

    @Test
    void theUsageTextNamesEveryOptionWithItsDefault() {
        CliRun smoke = CliRun.of("smoke", "--help");
        assertEquals(0, smoke.exitCode());
        assertTrue(smoke.out().startsWith("Usage: deployflow smoke [-hV] [--base-url=URL] [--concurrency=N]"),
                smoke.out());
        for (String line : new String[] {"Test each route of a running stack with its one sample file.",
                "--concurrency=N   Routes in flight at once (default 16).", "--routes=FILE     The routes file (YAML).",
                "(default 120s)", "-h, --help", "-V, --version", "--json=FILE       Write the machine-readable result"}) {
            assertTrue(smoke.out().contains(line), line + " in\n" + smoke.out());
        }
        CliRun meeting = CliRun.of("release-meeting", "--help");
        assertEquals(0, meeting.exitCode());
        for (String line : new String[] {"--config=FILE       deployflow.yaml", "--date=YYYY-MM-DD",
                "--cache=DIR", "--concurrency=N", "later meetings ask each remote for"}) {
            assertTrue(meeting.out().contains(line), line + " in\n" + meeting.out());
        }
        CliRun missing = CliRun.of("release-meeting", "--date", "2026-11-23");
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("Missing required option: '--config=FILE'"), missing.err());
    }
}
