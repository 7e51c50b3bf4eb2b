package io.deployflow.vars

import io.deployflow.ledger.dora.GeneratedHistory
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

import java.nio.file.Files

import static org.junit.jupiter.api.Assertions.assertEquals
import static org.junit.jupiter.api.Assertions.assertThrows
import static org.junit.jupiter.api.Assertions.assertTrue

/** doraReport with the real CLI in process over twelve generated weeks whose answers are known. */
class DoraReportStepTest extends VarsTestBase {
    Object step
    List<Map> archived = []

    @BeforeEach
    void generatedHistory() {
        step = loadScript('doraReport.groovy')
        cli = InProcessCli.in(this)
        helper.registerAllowedMethod('archiveArtifacts', [Map]) { Map a -> archived.add(a) }
        new GeneratedHistory(workspace)
    }

    @Test
    void archivesTheReportAndLinksEachChartFromTheDescription() {
        Map result = step.call(since: '2026-09-07', until: '2026-11-30')
        assertPlain(result)
        assertEquals(22, result.overall.deployments)
        assertEquals(0.182, result.overall.changeFailureRate)
        assertEquals(['fhir-gateway', 'terminology'], result.services.keySet() as List)
        assertEquals(21, result.customers.acme.deployments)
        assertEquals('deployflow-out/dora/dora.md,deployflow-out/dora/dora.json,deployflow-out/dora/*.svg',
                archived[0].artifacts)
        for (String chart : ['deployment-frequency', 'lead-time', 'change-failure-rate', 'time-to-restore']) {
            assertTrue(Files.readString(ws("deployflow-out/dora/${chart}.svg")).startsWith('<svg'), chart)
            assertTrue(currentBuildVars.description.contains(
                    "<a href=\"http://jenkins.example/job/release/42/artifact/deployflow-out/dora/${chart}.svg\">"),
                    currentBuildVars.description)
        }
        assertTrue(currentBuildVars.description.startsWith('DORA (2026-09-07): 22 deployments (1.8 a week), lead' +
                ' time 2.0 d, change failure rate 18 %, time to restore 14.5 h; charts: '),
                currentBuildVars.description)
        assertEquals(['ledger', 'dora', '--config', 'deployflow.yaml', '--since', '2026-09-07', '--out-dir',
                      'deployflow-out/dora', '--json', 'deployflow-out/dora/result.json', '--until', '2026-11-30'],
                cliCalls.find { it.argv[0] == 'ledger' }.argv)
    }

    @Test
    void aPeriodWithNothingInItStillReports() {
        Map result = step.call(since: '2026-01-05', until: '2026-02-02')
        assertEquals(0, result.overall.deployments)
        assertTrue(currentBuildVars.description.startsWith('DORA (2026-01-05): 0 deployments (0.0 a week); charts:'),
                currentBuildVars.description)
        assertTrue(Files.readString(ws('deployflow-out/dora/time-to-restore.svg')).contains('nothing in this period'))
    }

    @Test
    void aBadPeriodFailsTheStepAsBadInput() {
        def e = assertThrows(PipelineError) { step.call(since: 'last quarter') }
        assertTrue(e.message.startsWith('deployflow ledger dora: bad input (exit 2)'), e.message)
    }
}
