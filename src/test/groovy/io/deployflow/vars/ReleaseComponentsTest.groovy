package io.deployflow.vars

import groovy.json.JsonOutput
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

import java.nio.file.Files

import static org.junit.jupiter.api.Assertions.assertEquals
import static org.junit.jupiter.api.Assertions.assertFalse
import static org.junit.jupiter.api.Assertions.assertThrows
import static org.junit.jupiter.api.Assertions.assertTrue

class ReleaseComponentsTest extends ConfiguredStepTestBase {
    Object step
    Map plan
    /** component → release mode in deployflow.yaml */
    Map<String, String> modes = ['fhir-gateway': 'pipeline', terminology: 'repo-person']
    /** "release tag <component>" / "release check <component>" → exit code */
    Map<String, Integer> exitCodes = [:]
    Set<String> mayConfirm = ['dev2', 'lead'] as Set
    List<Map> mails = []

    @BeforeEach
    void fakeCli() {
        step = loadScript('releaseComponents.groovy')
        binding.setVariable('approvalGate', loadScript('approvalGate.groovy'))
        helper.registerAllowedMethod('mail', [Map]) { Map a -> mails.add(a) }
        helper.registerAllowedMethod('parallel', [Map]) { Map branches -> branches.each { k, v -> v.call() } }
        plan = new groovy.json.JsonSlurper().parse(FIXTURES.resolve('plan.json').toFile()) as Map
        settings.channels = [mail: true, webhooks: []]
        cli = { List<String> argv ->
            if (argv[0] == 'notify') {
                // notify.mail is on: the CLI hands the mail back for Jenkins' mail step
                List to = argv.findIndexValues { it == '--mail-to' }.collect { argv[(int) it + 1] }
                Files.createDirectories(ws(opt(argv, '--json')).parent)
                Files.writeString(ws(opt(argv, '--json')), JsonOutput.toJson([mail: [to: to,
                        subject: opt(argv, '--subject'), body: opt(argv, '--text')]]))
                return 0
            }
            String component = opt(argv, '--component')
            String key = argv.take(2).join(' ') + ' ' + component
            int code = exitCodes.getOrDefault(key, 0)
            if (argv[1] == 'check' && opt(argv, '--confirmed-by') && !(opt(argv, '--confirmed-by') in mayConfirm)) {
                return 2
            }
            Map written = argv[1] == 'tag' ? [component: component, action: code == 0 ? 'created' : 'refused',
                                               failure: code == 1 ? 'tag v1.3.0 already exists on abc' : null]
                    : [component: component, passed: code == 0, failure: code == 0 ? null : 'image did not appear',
                       notifications: [[to: ['dev3@example.org'], subject: "${component} is released", body: 'ready']]]
            Files.createDirectories(ws(opt(argv, '--json')).parent)
            Files.writeString(ws(opt(argv, '--json')), JsonOutput.toJson(written))
            return code
        }
    }

    /** The release calls, without the notifications that follow them. */
    List<List<String>> releases() {
        return argvs().findAll { it[0] == 'release' }
    }

    @Override
    Object runSh(Map a) {
        List<String> argv = ShellWords.split(a.script.toString()).drop(cliPrefix().size())
        if (argv.take(2) == ['config', 'show'] && opt(argv, '--component')) {
            settings.component = settings.component + [release: modes[opt(argv, '--component')]]
        }
        return super.runSh(a)
    }

    @Test
    void thePipelineTagsAndTheRepoPersonConfirmsThenBothAreChecked() {
        inputAnswers.add('dev2')     // only submitterParameter: input returns the approver's id
        Map result = step.call(plan: plan)

        assertEquals([['release', 'tag', '--config', 'deployflow.yaml', '--component', 'fhir-gateway', '--plan',
                       'deployflow-out/release/plan.json', '--json', 'deployflow-out/release/release-tag-fhir-gateway.json'],
                      ['release', 'check', '--config', 'deployflow.yaml', '--component', 'fhir-gateway', '--plan',
                       'deployflow-out/release/plan.json', '--json',
                       'deployflow-out/release/release-check-fhir-gateway.json'],
                      ['release', 'check', '--config', 'deployflow.yaml', '--component', 'terminology', '--plan',
                       'deployflow-out/release/plan.json', '--confirmed-by', 'dev2', '--json',
                       'deployflow-out/release/release-check-terminology.json']], releases(),
                'auth has no changes: nothing to release')
        assertEquals(password('git-creds'), cliCalls[0].env.DEPLOYFLOW_GIT_PASSWORD, "the push has the component's git id")
        assertEquals(secret('github-token'), cliCalls[0].env.DEPLOYFLOW_GITHUB_TOKEN)
        assertEquals(password('registry-creds'), cliCalls[1].env.DEPLOYFLOW_REGISTRY_PASSWORD)
        Map asked = inputCalls[0]
        assertEquals('Released-terminology', asked.id)
        assertEquals('I have released terminology 0.4.1', asked.ok)
        assertEquals('approver', asked.submitterParameter)
        assertEquals(null, asked.submitter, 'an author not on the team has no Jenkins id')
        assertTrue(result.passed)
        assertEquals(['fhir-gateway', 'terminology'], result.released)
        assertEquals(['dev3@example.org', 'dev3@example.org'], mails.collect { it.to }, 'the dc-persons are told')
        assertPlain(result)
    }

    @Test
    void aFailedReleaseIsAFailureForTheDecisionWithItsRepoPerson() {
        exitCodes['release check fhir-gateway'] = 1
        exitCodes['release tag terminology'] = 1
        modes.terminology = 'pipeline'
        Map result = step.call(plan: plan)

        assertFalse(result.passed)
        assertEquals([[component: 'fhir-gateway', route: null,
                       repoPerson: [id: 'dev2', name: 'Developer Two', email: 'dev2@example.org', known: true],
                       message: 'release failed: image did not appear'],
                      [component: 'terminology', route: null,
                       repoPerson: [id: null, name: 'Outside Contributor', email: 'oc@elsewhere.example',
                                    known: false],
                       message: 'release failed: tag v1.3.0 already exists on abc']], result.failures)
        assertEquals(['release tag', 'release check', 'release tag'], releases().collect { it.take(2).join(' ') },
                'a tag that was refused is not waited for')
        assertPlain(result)
    }

    @Test
    void someoneElseConfirmingIsAskedAgainAndTheRepoPersonIsTheSubmitter() {
        plan.components[1].repoPerson = [id: 'dev2', name: 'Developer Two', email: 'dev2@example.org', known: true]
        inputAnswers.addAll([[approver: 'intruder'], 'dev2'])
        Map result = step.call(plan: plan, components: ['terminology'])

        assertEquals(['Released-terminology', 'Released-terminology-2'], inputCalls.collect { it.id })
        assertEquals('dev2', inputCalls[0].submitter)
        assertTrue(echoes.any { it.contains('refused the confirmation by intruder') }, echoes.join('\n'))
        assertTrue(result.passed)
    }

    @Test
    void aRepoPersonWhoNeverAnswersIsAFailedReleaseNotAStoppedBuild() {
        List<Long> clock = [1_000_000L, 1_000_000L + 480 * 60_000L]
        binding.getVariable('approvalGate').metaClass.now = { -> clock.remove(0) }
        inputAnswers.add(new InterruptedException('FlowInterruptedException stand-in: timeout'))
        Map result = step.call(plan: plan, components: ['terminology'])

        assertFalse(result.passed)
        assertEquals('release failed: no word from the repo-person within 480 minutes', result.failures[0].message)
        assertEquals([], cliCalls)
    }

    @Test
    void aNamedMergeIsTaggedAndBadInputStopsTheBuild() {
        step.call(plan: plan, components: ['fhir-gateway'], commits: ['fhir-gateway': 'abc1234'])
        assertEquals('abc1234', opt(argvs()[0], '--commit'))

        exitCodes['release tag fhir-gateway'] = 2
        def e = assertThrows(PipelineError) { step.call(plan: plan, components: ['fhir-gateway']) }
        assertTrue(e.message.contains('release tag fhir-gateway: bad input (exit 2)'), e.message)
    }

    @Test
    void aPlanIsRequired() {
        def e = assertThrows(PipelineError) { step.call([:]) }
        assertEquals('releaseComponents: plan is required (the plan releaseMeeting returned)', e.message)
    }
}
