package io.deployflow.vars

import io.deployflow.config.ConfigLoader
import io.deployflow.ledger.Ledger
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

import java.nio.file.Files

import static org.junit.jupiter.api.Assertions.assertEquals
import static org.junit.jupiter.api.Assertions.assertFalse
import static org.junit.jupiter.api.Assertions.assertNull
import static org.junit.jupiter.api.Assertions.assertThrows
import static org.junit.jupiter.api.Assertions.assertTrue

/** deploymentHistory with the real CLI in process over a ledger written through the engine's API. */
class DeploymentHistoryStepTest extends VarsTestBase {
    Object step
    List<Map> archived = []

    @BeforeEach
    void ledgerWithHistory() {
        step = loadScript('deploymentHistory.groovy')
        cli = InProcessCli.in(this)
        helper.registerAllowedMethod('archiveArtifacts', [Map]) { Map a -> archived.add(a) }
        Files.writeString(ws('deployflow.yaml'), '''
team:
  - {id: dev1, name: Developer One, emails: [dev1@example.org]}
components:
  - {name: fhir-gateway, repo: 'file:///nowhere/fhir-gateway', image: 127.0.0.1:5000/fhir/fhir-gateway}
customers:
  - {name: acme, repo: 'file:///nowhere/acme'}
  - {name: st-mary, repo: 'file:///nowhere/st-mary'}
''')
        Ledger ledger = Ledger.open(ConfigLoader.load(ws('deployflow.yaml')), [DEPLOYFLOW_USER: 'timer',
                BUILD_URL: 'http://jenkins.example/job/release/41/'], ws('cache'))
        ledger.append('deploy', [customer: 'acme', status: 'deployed', version: '1.3.0'])
        ledger.append('rollback', [customer: 'acme', status: 'rolled back', reason: '5xx on /Patient'])
        ledger.append('deliver', [customer: 'st-mary', status: 'delivered', version: '2.1.0'])
        ledger.append('notification', [subject: 'not part of the history table'])
    }

    @Test
    void rendersBothFormatsNewestFirstAndArchivesThem() {
        Map result = step.call()
        assertPlain(result)
        assertEquals(3, result.rows)
        assertTrue(result.intact)
        String md = Files.readString(ws('deployflow-out/deployment-history.md'))
        List<String> rows = md.readLines().findAll { it.startsWith('| [#') }
        assertEquals(3, rows.size(), md)
        assertTrue(rows[0].contains('| Delivery | st-mary | 2.1.0 | delivered | timer |'), rows[0])
        assertTrue(rows[1].contains('| Rollback | acme |  | rolled back | timer | 5xx on /Patient |'), rows[1])
        assertTrue(rows[2].startsWith('| [#1](http://jenkins.example/job/release/41/) |'), rows[2])
        assertTrue(Files.readString(ws('deployflow-out/deployment-history.html')).contains('<td>5xx on /Patient</td>'))
        assertEquals('deployflow-out/ledger-verify.json,deployflow-out/deployment-history.md,' +
                'deployflow-out/deployment-history.html', archived[0].artifacts)
        assertEquals(null, currentBuildVars.result)
    }

    @Test
    void oneCustomerOneFormat() {
        Map result = step.call(customer: 'acme', formats: 'md', verify: false)
        assertEquals(2, result.rows)
        assertNull(result.intact)
        assertFalse(Files.exists(ws('deployflow-out/deployment-history.html')))
        assertEquals(['ledger history'], cliCalls.collect { it.argv.take(2).join(' ') })
        assertEquals('acme', opt(cliCalls[0].argv, '--customer'))
    }

    @Test
    void aTamperedLedgerMarksTheBuildUnstableOrFailsIt() {
        java.nio.file.Path file = ws('.deployflow/ledger/ledger.jsonl')
        List<String> lines = Files.readAllLines(file)
        lines.remove(1)
        Files.write(file, lines)
        Map result = step.call()
        assertFalse(result.intact)
        assertEquals('UNSTABLE', currentBuildVars.result)
        assertEquals('entry 2 removed: missing before line 2 (entry 3)', result.problems[0].message)
        assertEquals('ledger tampered: 1 problem(s)', currentBuildVars.description)

        def e = assertThrows(PipelineError) { step.call(onTampered: 'error') }
        assertTrue(e.message.startsWith('deploymentHistory: the ledger was tampered with: entry 2 removed'))
    }

    @Test
    void badFormatsAreRefusedBeforeAnythingRuns() {
        def e = assertThrows(IllegalArgumentException) { step.call(formats: 'pdf') }
        assertTrue(e.message.contains("formats must be 'md', 'html' or 'both'"))
        assertEquals([], cliCalls)
    }
}
