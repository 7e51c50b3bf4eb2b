// releaseComponents: the release of every component the plan releases, before any customer's stack is prepared.
// Per component, as deployflow.yaml says (components[].release):
//   pipeline    - `release tag`: the annotated tag on develop's tip as the meeting saw it (or the merge named in
//                 commits:), pushed, plus a GitHub release when the repository is on GitHub;
//   repo-person - an input Released-<component> only the repo-person (or a decider) may answer: "I have released".
// Then `release check` waits (progress, a time limit) until the tag and the image exist, runs the release checks,
// and names whom to tell: the dc-persons when it passed (told here, through the configured channels), the
// repo-person when not.
// Returns [passed:, released: [names], failures: [[component:, repoPerson:, message:]], results: [name: check]]:
// a component whose release failed goes to releaseDecision like a failing route does.

Map call(Map args = [:]) {
    if (!args.plan) {
        error('releaseComponents: plan is required (the plan releaseMeeting returned)')
    }
    String config = args.config ?: 'deployflow.yaml'
    String out = (args.outDir ?: 'deployflow-out') + '/release'
    deployflowCli.outDir(out)
    String planPath = deployflowCli.planFile(args.plan, out + '/plan.json')
    Map plan = args.plan instanceof Map ? args.plan : deployflowCli.readJson(planPath)
    List names = args.components ?: releasing(plan)
    Map outcomes = [:]
    Map branches = [:]
    for (String name : names) {
        // copy the loop variable: each parallel branch must see its own component
        String component = name
        branches[component] = {
            outcomes[component] = releaseOne(component, plan, planPath, config, out, args)
        }
    }
    if (!branches.isEmpty()) {
        parallel branches
    }
    Map result = summary(names, outcomes)
    echo(result.passed ? "Released: ${result.released.join(', ') ?: 'nothing to release'}" :
            "Release failed for ${result.failures.collect { it.component }.join(', ')}")
    return result
}

/**
 * One component: released (by the pipeline or its repo-person), then checked. Returns [passed:, check:, message:,
 * repoPerson:].
 */
Map releaseOne(String component, Map plan, String planPath, String config, String out, Map args) {
    Map shown = deployflowCli.settings(config, [component: component], out)
    Map settings = shown.component
    Map ids = settings.credentials ?: [:]
    Map secrets = [git: ids.git, gitSsh: ids.gitSsh, github: ids.github, registry: ids.registry]
    Map planned = (plan.components ?: []).find { it.name == component } ?: [:]
    Map person = planned.repoPerson instanceof Map ? deployflowCli.plain(planned.repoPerson) : null
    if (settings.release == 'pipeline') {
        String tagPath = "${out}/release-tag-${component}.json"
        List tag = ['release', 'tag', '--config', config, '--component', component, '--plan', planPath]
        String commit = args.commits ? args.commits[component] : null
        if (commit) {
            tag.addAll(['--commit', commit])
        }
        tag.addAll(cacheArgs(args) + ['--json', tagPath])
        int code = deployflowCli.withSecrets(secrets) { deployflowCli.runCli(tag) }
        if (code == 1 || code == 3) {
            Map refused = deployflowCli.readJsonIfPresent(tagPath) ?: [:]
            return [passed: false, check: null, repoPerson: person, message: refused.failure ?:
                    "the tag could not be pushed (exit ${code}; see the log above)".toString()]
        }
        deployflowCli.check(code, "release tag ${component}")
        return checked(component, null, planPath, config, out, args, secrets, person, shown.channels)
    }
    int rounds = args.maxRounds ?: 3
    for (int round = 1; round <= rounds; round++) {
        Map answer = askRepoPerson(component, planned, settings, args, round)
        if (answer.timedOut) {
            return [passed: false, check: null, repoPerson: person, message: "no word from the repo-person within " +
                    "${args.inputTimeoutMinutes ?: 480} minutes".toString()]
        }
        if (!answer.by) {
            echo "Round ${round}: the confirmation came back without who gave it; asking again"
            continue
        }
        Map result = checked(component, answer.by, planPath, config, out, args, secrets, person,
                             shown.channels)
        if (!result.refused) {
            return result
        }
        echo "Round ${round}: the engine refused the confirmation by ${answer.by} (exit 2, see above: only the " +
                'repo-person or a decider may confirm); asking again'
    }
    error("releaseComponents ${component}: no accepted confirmation after ${rounds} rounds")
    return null
}

/** `release check`: waits for tag and image, verifies, and tells whom the engine names. */
Map checked(String component, String confirmedBy, String planPath, String config, String out, Map args, Map secrets,
            Map person, Map channels) {
    String checkPath = "${out}/release-check-${component}.json"
    List check = ['release', 'check', '--config', config, '--component', component, '--plan', planPath]
    if (confirmedBy) {
        check.addAll(['--confirmed-by', confirmedBy])
    }
    if (args.poll) {
        check.addAll(['--poll', args.poll])
    }
    check.addAll(cacheArgs(args) + ['--json', checkPath])
    int code = deployflowCli.withSecrets(secrets) { deployflowCli.runCli(check) }
    if (code == 2 && confirmedBy) {
        return [refused: true]
    }
    deployflowCli.check(code, "release check ${component}", true)
    Map result = deployflowCli.readJsonIfPresent(checkPath) ?: [:]
    archiveArtifacts(artifacts: checkPath, allowEmptyArchive: true, fingerprint: false)
    tellAll(result.notifications ?: [], [config: config, out: out, channels: channels, git: secrets.git,
                                         gitSsh: secrets.gitSsh])
    return [passed: code == 0, check: result, repoPerson: person,
            message: result.failure ?: (code == 0 ? null : "exit ${code}".toString())]
}

/**
 * The repo-person releases and says so; returns [by: who answered] or [timedOut: true]. Administrators
 * bypass an input's submitter, so the engine checks who answered (`release check --confirmed-by`). An abort
 * stops the build, as every abort does; a timeout is a failed release, which goes to the decision.
 */
Map askRepoPerson(String component, Map planned, Map settings, Map args, int round) {
    Map person = planned.repoPerson instanceof Map ? planned.repoPerson : [:]
    String version = planned.releaseVersion
    String tag = (settings.tagPrefix ?: '') + version
    Map inputArgs = [id: "Released-${component}${round > 1 ? '-' + round : ''}".toString(),
                     ok: "I have released ${component} ${version}".toString(),
                     message: "${person.name ?: 'The repo-person'}: release ${component} ${version} (update the " +
                             "README, tag ${tag}, let CI build ${settings.image ?: 'the image'}:${version}), " +
                             'then confirm here.', submitterParameter: 'approver']
    if (person.id) {
        inputArgs.submitter = person.id
    }
    int minutes = args.inputTimeoutMinutes ?: 480
    long asked = approvalGate.now()
    Object answer
    try {
        answer = timeout(time: minutes, unit: 'MINUTES') {
            input(inputArgs)
        }
    } catch (InterruptedException stopped) {
        // a timeout or an abort; in the sandbox only the elapsed time tells them apart
        if (approvalGate.now() - asked >= minutes * 60000L) {
            echo "${component} ${version}: no word from the repo-person within ${minutes} minutes"
            return [timedOut: true]
        }
        throw stopped
    }
    String by = answer instanceof Map ? answer.approver : answer
    echo "${component} ${version}: released, says ${by ?: 'an unnamed user'}"
    return [timedOut: false, by: by]
}

@NonCPS
List cacheArgs(Map args) {
    return args.cache ? ['--cache', args.cache.toString()] : []
}

/**
 * Tells whom the engine names (the dc-persons: the release is ready) through the channels configured under notify,
 * as the approval gate does: mail only when notify.mail is on, and a failed channel never fails the release.
 */
void tellAll(List messages, Map ctx) {
    for (Map message : messages) {
        if (message.to) {
            approvalGate.tell(ctx, [subject: message.subject, text: message.body, mailTo: message.to], 'release-ready')
        }
    }
}

@NonCPS
List releasing(Map plan) {
    // a plan written before release rules existed has no releaseNeeded: every change then makes a release
    return (plan.components ?: []).findAll { it.releaseNeeded == null ? it.hasChanges : it.releaseNeeded }
            .collect { it.name.toString() }
}

@NonCPS
Map summary(List names, Map outcomes) {
    List released = names.findAll { outcomes[it]?.passed }
    List failures = names.findAll { !outcomes[it]?.passed }.collect { name ->
        Map person = outcomes[name]?.repoPerson
        [component: name, route: null, repoPerson: person,
         message: "release failed: ${outcomes[name]?.message ?: 'see the log'}".toString()]
    }
    Map results = [:]
    names.each { results[it] = outcomes[it]?.check }
    return [passed: failures.isEmpty(), released: released, failures: failures, results: results]
}
