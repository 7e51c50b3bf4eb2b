package io.deployflow.vars

import org.eclipse.jgit.api.Git
import org.eclipse.jgit.api.MergeResult
import org.eclipse.jgit.lib.PersonIdent
import org.eclipse.jgit.transport.RefSpec
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

import java.nio.file.Files
import java.nio.file.Path

import static org.junit.jupiter.api.Assertions.assertEquals
import static org.junit.jupiter.api.Assertions.assertFalse
import static org.junit.jupiter.api.Assertions.assertNotNull
import static org.junit.jupiter.api.Assertions.assertThrows
import static org.junit.jupiter.api.Assertions.assertTrue

/**
 * hotfix with the real engine and real repositories in the workspace (bare, reached by path): the component whose
 * 1.3.0 production runs, the customer stack that says so. The developer's fix is pushed from the afterBranch block;
 * the inputs are answered as people would; mail goes through the notification path the approval gate uses.
 */
class HotfixStepTest extends VarsTestBase {
    static final PersonIdent DEV = new PersonIdent('Dev Two', 'dev2@example.org')

    Object step
    List<Map> mails = []
    List<List> deployed = []
    List<String> images = []
    Path component
    Path customer

    @BeforeEach
    void realEngineAndRepositories() {
        step = loadScript('hotfix.groovy')
        binding.setVariable('promote', loadScript('promote.groovy'))
        helper.registerAllowedMethod('mail', [Map]) { Map a -> mails.add(a) }
        cli = InProcessCli.in(this)
        component = seed('fhir-gateway', 'develop') { Path work, Git git ->
            write(work, 'src/search.txt', 'search: exact\n')
            commit(git, 'feat: search')
            git.tag().setName('v1.3.0').setAnnotated(true).setMessage('1.3.0').setTagger(DEV).call()
            write(work, 'src/search.txt', 'search: fuzzy\n')
            commit(git, 'feat: fuzzy search')
        }
        customer = seed('acme-stack', 'main') { Path work, Git git ->
            write(work, 'docker-compose.yml', 'services:\n  gateway:\n    image: 127.0.0.1:5000/fhir/fhir-gateway:1.3.0\n')
            commit(git, 'acme stack')
        }
        Files.writeString(ws('deployflow.yaml'), """
team:
  - {id: dev1, name: Developer One, emails: [dev1@example.org]}
  - {id: dev2, name: Developer Two, emails: [dev2@example.org]}
components:
  - {name: fhir-gateway, repo: '${component}', image: 127.0.0.1:5000/fhir/fhir-gateway}
customers:
  - {name: acme, repo: '${customer}', contacts: [ops@acme.example]}
approval:
  roles:
    ops: [ops1]
    ai-centre: [dev2]
  tasks:
    hotfix-production: {responsible: ops}
    rca-sign-off: {responsible: ai-centre}
notify:
  mail: true
promotion:
  environments:
    - name: Pre-Prod
    - name: Production
hotfix:
  approval: hotfix-production
  rcaSignOff: rca-sign-off
  inform: [ai-centre]
""")
    }

    Path seed(String name, String branch, Closure content) {
        Path work = workspace.resolve('seed-' + name)
        Git git = Git.init().setDirectory(work.toFile()).setInitialBranch(branch).call()
        content.call(work, git)
        git.close()
        Path bare = workspace.resolve('remotes/' + name + '.git')
        Git.cloneRepository().setURI(work.toUri().toString()).setBare(true).setDirectory(bare.toFile()).call().close()
        return bare
    }

    static void write(Path work, String file, String text) {
        Files.createDirectories(work.resolve(file).parent)
        Files.writeString(work.resolve(file), text)
    }

    static void commit(Git git, String message) {
        git.add().addFilepattern('.').call()
        git.commit().setMessage(message).setAuthor(DEV).setCommitter(DEV).setSign(false).call()
    }

    /** The developer merges the fix into the hotfix branch, as the build waits for it. */
    Closure pushFix(String file, String text) {
        return { Map state ->
            Path work = workspace.resolve('fix')
            Git git = Git.cloneRepository().setURI(component.toUri().toString()).setDirectory(work.toFile())
                    .setBranch(state.branch).call()
            write(work, file, text)
            commit(git, 'fix: search without a family name (SEV1-900)')
            git.push().setRefSpecs(new RefSpec('HEAD:refs/heads/' + state.branch)).call()
            git.close()
        }
    }

    Map hotfix(Map extra = [:]) {
        return step.call([component: 'fhir-gateway', issue: 'SEV1-900', summary: 'patient search returns 500',
                          cache: workspace.resolve('cache').toString()] + extra) { Map environment, String version ->
            deployed.add([environment.name, version])
            images.add(environment.image)
        }
    }

    static Map approve(String by) {
        return [DECISION: 'approve', REASON: '', approver: by]
    }

    String remoteFile(String ref, String path) {
        Git git = Git.open(component.toFile())
        try {
            def repo = git.repository
            def tree = org.eclipse.jgit.treewalk.TreeWalk.forPath(repo, path, repo.parseCommit(repo.resolve(ref)).tree)
            return new String(repo.open(tree.getObjectId(0)).bytes, 'UTF-8')
        } finally {
            git.close()
        }
    }

    @Test
    void theWholeLaneTellsEveryoneDeploysTwiceMergesBackAndSignsOffTheAnalysis() {
        inputAnswers.addAll([null, approve('ops1'), [ROOT_CAUSE: 'A null family name was not handled.',
                                                     PREVENTION: 'A test per optional field.', author: 'dev2'],
                             approve('dev2')])
        Map result = hotfix(afterBranch: pushFix('src/patient.txt', 'family name: optional\n'))
        assertPlain(result)
        assertEquals([issue: 'SEV1-900', component: 'fhir-gateway', version: '1.3.1', branch: 'hotfix/1.3.1',
                      tag: 'v1.3.1', fromVersion: '1.3.0', rca: 'rca/SEV1-900.md'], result)
        assertEquals(['Fix-merged-1', 'Hotfix-go-1', 'Rca-SEV1-900', 'Rca-sign-off-1'], inputCalls.collect { it.id.toString() })
        assertEquals([['Pre-Prod', '1.3.1'], ['Production', '1.3.1']], deployed)
        assertEquals(['127.0.0.1:5000/fhir/fhir-gateway:1.3.1'] * 2, images, 'the block gets the image to deploy')

        List<String> subjects = mails.collect { it.subject }
        // ops1, who gives the go-ahead, has no email on the team: the approval mails go to dev2 only
        assertEquals(['SEV1-900 raised: fhir-gateway: patient search returns 500',
                      'SEV1-900: deploying fhir-gateway 1.3.1 to Production',
                      'SEV1-900 restored: fhir-gateway 1.3.1 is in production',
                      'Approval needed: rca-sign-off', 'Approved: rca-sign-off'], subjects)
        assertEquals('dev2@example.org,ops@acme.example', mails[0].to)

        assertEquals('family name: optional\n', remoteFile('refs/tags/v1.3.1', 'src/patient.txt'))
        assertEquals('search: exact\n', remoteFile('refs/tags/v1.3.1', 'src/search.txt'), 'from production\'s tag')
        assertEquals('family name: optional\n', remoteFile('refs/heads/develop', 'src/patient.txt'), 'merged back')
        assertEquals('search: fuzzy\n', remoteFile('refs/heads/develop', 'src/search.txt'), 'develop\'s own work kept')
        String notes = Files.readString(ws('deployflow-out/hotfix-SEV1-900/release-notes.md'))
        assertTrue(notes.contains('**SEV1-900**: patient search returns 500'), notes)
        String rca = Files.readString(ws('deployflow-out/hotfix-SEV1-900/rca.md'))
        assertTrue(rca.contains('A null family name was not handled.') && rca.contains('A test per optional field.'),
                rca)
        assertTrue(Files.readString(ws('.deployflow/ledger/rca/SEV1-900.md')) == rca, 'kept beside the ledger')
        assertTrue(currentBuildVars.description.endsWith('SEV1-900: fhir-gateway 1.3.1 in Production, restored'),
                currentBuildVars.description)
    }

    @Test
    void aMergeBackConflictStopsNamingTheFileAndARerunAfterAMergeByHandCarriesOn() {
        Path work = workspace.resolve('seed-fhir-gateway')
        inputAnswers.addAll([null, approve('ops1')])
        def e = assertThrows(PipelineError) {
            hotfix(afterBranch: pushFix('src/search.txt', 'search: exact, indexed\n'), rootCause: 'missing index')
        }
        assertEquals('hotfix SEV1-900: merging hotfix/1.3.1 into develop conflicts in src/search.txt; nothing was' +
                ' pushed. Merge it by hand, push develop, then run this again', e.message)
        assertEquals([['Pre-Prod', '1.3.1'], ['Production', '1.3.1']], deployed)
        assertEquals('search: fuzzy\n', remoteFile('refs/heads/develop', 'src/search.txt'), 'develop untouched')
        assertTrue(currentBuildVars.description.contains('merge back conflicts in src/search.txt'))

        Git git = Git.cloneRepository().setURI(component.toUri().toString()).setDirectory(workspace.resolve('merge')
                .toFile()).setBranch('develop').call()
        MergeResult merge = git.merge().include(git.repository.resolve('refs/remotes/origin/hotfix/1.3.1')).call()
        assertEquals(MergeResult.MergeStatus.CONFLICTING, merge.mergeStatus)
        write(workspace.resolve('merge'), 'src/search.txt', 'search: fuzzy, indexed\n')
        commit(git, 'Merge hotfix/1.3.1 by hand')
        git.push().setRefSpecs(new RefSpec('HEAD:refs/heads/develop')).call()
        git.close()
        assertNotNull(work)

        inputAnswers.add(approve('dev2'))
        deployed.clear()
        int inputsBefore = inputCalls.size()
        Map rerun = hotfix(rootCause: 'missing index', prevention: 'load tests with production data')
        assertEquals('1.3.1', rerun.version)
        assertEquals([], deployed, 'nothing is deployed twice')
        assertEquals(['Rca-sign-off-1'], inputCalls.drop(inputsBefore).collect { it.id.toString() })
        assertFalse(Files.readString(ws('deployflow-out/hotfix-SEV1-900/rca.md')).contains('_To be written'))
    }
}
