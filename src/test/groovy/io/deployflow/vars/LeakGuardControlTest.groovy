package io.deployflow.vars

import io.deployflow.testjobs.PipelineRun
import org.junit.jupiter.api.Test

import java.nio.file.Files
import java.nio.file.Path

import static org.junit.jupiter.api.Assertions.assertEquals
import static org.junit.jupiter.api.Assertions.assertTrue

/**
 * The control for the leak check every vars test ends with: each kind of bound value, planted in each channel the
 * check claims to scan, is found there; and nothing is found once the plants are gone.
 */
class LeakGuardControlTest extends VarsTestBase {
    Path state

    @Override
    List<Path> stateDirs() {
        return [state]
    }

    static void git(Path repo, String... args) {
        Process p = (['git', '-C', repo.toString(), '-c', 'user.name=t', '-c', 'user.email=t@example.org'] + args.toList())
                .execute()
        assertEquals(0, p.waitFor(), p.errorStream.text)
    }

    @Test
    void everySecretIsFoundInEveryChannelAndOnlyThere() {
        state = Files.createTempDirectory('vars-state')
        Files.createDirectories(ws('out'))
        assertEquals([], leakedSecrets(), 'nothing planted yet')
        List<String> planted = [password('git-creds'), password('registry-creds'), secret('portainer-key'),
                                password('portainer-login'), secret('github-token'), password('customer-creds'),
                                Files.readAllLines(Path.of(secret('git-ssh')))[2]]
        planted.eachWithIndex { String value, int i ->
            switch (i % 4) {
                case 0: echoes.add("log line with ${value}".toString()); break
                case 1: Files.writeString(ws("out/file-${i}.json"), "{\"v\":\"${value}\"}"); break
                case 2: Files.writeString(state.resolve("cache-${i}"), value); break
                default: currentBuildVars.description = "built with ${value}".toString()
            }
        }
        Files.createDirectories(ws('repo'))
        git(ws('repo'), 'init', '-q')
        Files.writeString(ws('repo/token.txt'), secret('github-token'))
        git(ws('repo'), 'add', '-A')
        git(ws('repo'), 'commit', '-q', '-m', 'x')
        Files.delete(ws('repo/token.txt'))

        List<String> leaks = leakedSecrets()
        assertTrue(leaks.any { it.contains('echo/console') }, leaks.join('\n'))
        assertTrue(leaks.any { it.contains('out/file-') }, leaks.join('\n'))
        assertTrue(leaks.any { it.contains(state.toString()) }, leaks.join('\n'))
        assertTrue(leaks.any { it.contains('build description') }, leaks.join('\n'))
        assertTrue(leaks.any { it.contains('git objects') }, leaks.join('\n'))
        assertEquals(planted.size() + 1, leaks.size(), 'each plant is found once: ' + leaks.join('\n'))

        echoes.clear()
        currentBuildVars.description = null
        PipelineRun.deleteTree(workspace)
        Files.createDirectories(workspace)
        PipelineRun.deleteTree(state)
        assertEquals([], leakedSecrets())
    }
}
