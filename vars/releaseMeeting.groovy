// releaseMeeting: the weekly release meeting. Runs `release-meeting` and `release-notes`, archives the plan and the
// notes, writes a one-line build description and returns the plan as plain maps.

Map call(Map args = [:]) {
    String config = args.config ?: 'deployflow.yaml'
    String out = args.outDir ?: 'deployflow-out'
    String planPath = out + '/plan.json'
    List noteFormats = noteFormats(args.notes == null ? 'md' : args.notes)

    List meeting = ['release-meeting', '--config', config]
    if (args.date) {
        meeting.addAll(['--date', args.date])
    }
    if (args.cache) {
        meeting.addAll(['--cache', args.cache])
    }
    meeting.addAll(['--json', planPath])

    deployflowCli.outDir(out)
    List archived = [planPath]
    Map ids = args.gitCredentialsId != null || args.gitSshCredentialsId != null ? [git: args.gitCredentialsId,
            gitSsh: args.gitSshCredentialsId] : (deployflowCli.settings(config, [:], out).credentials ?: [:])
    deployflowCli.withSecrets([git: ids.git, gitSsh: ids.gitSsh]) {
        deployflowCli.check(deployflowCli.runCli(meeting), 'release-meeting')
    }
    for (String format : noteFormats) {
        String notesPath = out + '/release-notes.' + format
        int code = deployflowCli.runCli(['release-notes', '--config', config, '--plan', planPath, '--out', notesPath])
        deployflowCli.check(code, 'release-notes')
        archived.add(notesPath)
    }
    archiveArtifacts(artifacts: archived.join(','), fingerprint: false)

    Map plan = deployflowCli.readJson(planPath)
    String summary = summary(plan)
    currentBuild.description = summary
    echo "Release plan: ${summary}"

    if (args.confirm) {
        // The approval task release-plan (built in: any team member; a team may declare its own) decides who
        // may confirm, checked by the engine on every answer; input Confirm-plan-1, -2, ... asks.
        Map confirmed = approvalGate.call(task: args.confirmTask ?: 'release-plan', id: 'Confirm-plan', config: config,
                                     outDir: out, message: "Release plan: ${summary}. Go ahead?",
                                     details: planDetails(plan), gitCredentialsId: args.gitCredentialsId,
                                     gitSshCredentialsId: args.gitSshCredentialsId)
        String by = confirmed.approvedBy.join(', ')
        echo "Release plan confirmed by ${by}"
        currentBuild.description = summary + " (confirmed by ${by})"
    }
    return plan
}

@NonCPS
List noteFormats(Object notes) {
    if (notes == false || notes == 'none') {
        return []
    }
    if (notes == 'both') {
        return ['md', 'html']
    }
    if (notes instanceof List) {
        return notes.collect { it.toString() }
    }
    if (notes == 'md' || notes == 'html') {
        return [notes.toString()]
    }
    throw new IllegalArgumentException("releaseMeeting: notes must be 'md', 'html', 'both' or 'none', not '${notes}'")
}

/** "2 to release: fhir-gateway 1.3.0 (dev2), terminology 0.4.1 (dev1); no release needed: auth; acme→dev3" */
@NonCPS
String summary(Map plan) {
    List all = plan.components ?: []
    List releasing = all.findAll { releaseNeeded(it) }
    List notNeeded = all.findAll { it.hasChanges && !releaseNeeded(it) }
    String components = releasing.collect { c ->
        "${c.name} ${c.releaseVersion ?: c.nextVersion} (${personName(c.repoPerson)})"
    }.join(', ')
    String customers = (plan.customers ?: []).collect { c -> "${c.name}→${personName(c.dcPerson)}" }.join(', ')
    String head = releasing.isEmpty() ? 'nothing to release' : "${releasing.size()} to release: ${components}"
    if (notNeeded) {
        head += '; no release needed: ' + notNeeded.collect { it.name }.join(', ')
    }
    return customers ? head + '; ' + customers : head
}

/** Whether a planned component is released; a plan written before release rules existed counts every change. */
@NonCPS
boolean releaseNeeded(Map component) {
    return component.releaseNeeded == null ? component.hasChanges as boolean : component.releaseNeeded as boolean
}

/** One line per component released and per customer, for the confirmation page. */
@NonCPS
String planDetails(Map plan) {
    List lines = (plan.components ?: []).findAll { releaseNeeded(it) }.collect { c ->
        "${c.name}: ${c.lastRelease ?: 'first release'} → ${c.releaseVersion ?: c.nextVersion}, released by " +
                personName(c.repoPerson)
    }
    lines.addAll((plan.customers ?: []).collect { c -> "${c.name}: stack prepared by ${personName(c.dcPerson)}" })
    return lines ? lines.join('\n') : 'Nothing to release.'
}

@NonCPS
String personName(Object person) {
    if (!(person instanceof Map)) {
        return 'nobody'
    }
    return person.id ?: "unknown ${person.email ?: person.name}"
}
