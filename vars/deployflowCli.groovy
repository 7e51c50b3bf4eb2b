// Internal helper shared by the deployflow steps: finds and runs the CLI, maps its exit codes, reads its JSON.
// Not meant to be called from Jenkinsfiles directly; the steps (releaseMeeting, dockerPrep, ...) use it.
//
// CPS and sandbox notes (see DESIGN.md "The library half"):
// - every method that calls a step (sh, readFile, writeFile, withCredentials, error) is a normal CPS method;
// - the pure helpers (quoting, JSON copying) are @NonCPS and call no steps;
// - JSON is parsed with JsonSlurper and deep-copied into [:] / [] literals, because a LazyMap kept across a step
//   fails with NotSerializableException.

/**
 * The command that starts the CLI on this agent: DEPLOYFLOW_CLI (a .jar path, run with java -jar and the launcher's
 * JVM options, or a command such as the launcher's path), else `deployflow` (the launcher) on PATH.
 */
String command() {
    String configured = env.DEPLOYFLOW_CLI == null ? '' : env.DEPLOYFLOW_CLI.trim()
    return cliCommand(configured)
}

@NonCPS
String cliCommand(String configured) {
    if (!configured) {
        return 'deployflow'
    }
    if (configured.endsWith('.jar')) {
        return 'java ' + jvmOptions(configured).collect { quote(it) }.join(' ') + ' -jar ' + quote(configured)
    }
    // A command as the agent's administrator wrote it (e.g. "/opt/deployflow/bin/deployflow"): used verbatim.
    return configured
}

/**
 * The JVM options bin/deployflow (the launcher) uses, for a jar run directly: every step is a new JVM that lives for
 * seconds. The class-data archive is the jar's path with .jsa (`deployflow --build-archive` makes it at install
 * time); a missing one is ignored, and one the JVM cannot use (another JDK, a newer jar) only warns on stderr.
 */
@NonCPS
List jvmOptions(String jar) {
    return ['-XX:TieredStopAtLevel=1', '-XX:SharedArchiveFile=' + jar.substring(0, jar.length() - 4) + '.jsa',
            '-Xlog:disable', '-Xlog:all=warning:stderr']
}

/**
 * Runs one CLI command with the given arguments and returns its exit code. Secrets never go in args: the CLI
 * reads them from the environment that withCredentials sets. DEPLOYFLOW_USER tells the CLI who started the build,
 * for the audit log and the ledger (`sh` has no USER in Jenkins); a job may set it itself.
 */
int runCli(List args) {
    String script = commandLine(command(), args)
    return withEnv(['DEPLOYFLOW_USER=' + (env.DEPLOYFLOW_USER ?: buildUser())]) {
        sh(returnStatus: true, script: script, label: 'deployflow ' + args[0])
    }
}

/** Who started this build: the user's Jenkins id, else what did (timer, scm, upstream …). */
String buildUser() {
    return userOf(currentBuild.getBuildCauses())
}

/**
 * The build causes as currentBuild.getBuildCauses() gives them (sandbox-safe JSON): a user's id wins; a build no
 * person started is named by its cause: timer, scm, upstream:<job>#<n>, branch-indexing, remote, …
 */
@NonCPS
String userOf(Object causes) {
    List all = causes instanceof List ? causes : []
    Map byUser = all.find { it instanceof Map && it._class == 'hudson.model.Cause$UserIdCause' }
    if (byUser != null) {
        return byUser.userId ?: 'anonymous'
    }
    for (Object cause : all) {
        String type = cause instanceof Map ? String.valueOf(cause._class) : ''
        switch (type) {
            case 'hudson.triggers.TimerTrigger$TimerTriggerCause': return 'timer'
            case 'hudson.triggers.SCMTrigger$SCMTriggerCause': return 'scm'
            case 'hudson.model.Cause$UpstreamCause': return "upstream:${cause.upstreamProject}#${cause.upstreamBuild}"
            case 'jenkins.branch.BranchIndexingCause': return 'branch-indexing'
            case 'hudson.model.Cause$RemoteCause': return 'remote'
            default: break
        }
    }
    if (all && all[0] instanceof Map && all[0]._class) {
        // another trigger (a webhook plugin, say): its class name without package and "Cause"
        return all[0]._class.toString().replaceAll(/^.*[.$]/, '').replaceAll(/Cause$/, '').toLowerCase()
    }
    return 'unknown'
}

@NonCPS
String commandLine(String prefix, List args) {
    StringBuilder line = new StringBuilder(prefix)
    for (Object arg : args) {
        line.append(' ').append(quote(arg))
    }
    return line.toString()
}

/** POSIX shell quoting: plain words stay as they are, anything else goes in single quotes. */
@NonCPS
String quote(Object value) {
    String text = value == null ? '' : value.toString()
    if (text ==~ /[A-Za-z0-9_@%+=:,.\/-]+/) {
        return text
    }
    return "'" + text.replace("'", "'\"'\"'") + "'"
}

// Exit codes of the CLI (core.ExitCode): 0 ok, 1 a check failed, 2 bad input, 3 an outside system failed.

/** The name of an exit code's outcome, for messages and for steps that branch on it. */
@NonCPS
String outcome(int code) {
    switch (code) {
        case 0: return 'ok'
        case 1: return 'check-failed'
        case 2: return 'bad-input'
        case 3: return 'outside-failure'
        default: return 'unexpected'
    }
}

/**
 * Fails the build for exit codes the calling step does not handle itself. Exit 1 fails too unless the step says it
 * handles check failures (checkFailedHandled), e.g. by marking the build UNSTABLE.
 */
void check(int code, String what, boolean checkFailedHandled = false) {
    if (code == 0 || (code == 1 && checkFailedHandled)) {
        return
    }
    error(failureMessage(code, what))
}

@NonCPS
String failureMessage(int code, String what) {
    switch (code) {
        case 1:
            return "deployflow ${what}: a check failed (exit 1); the reasons are in the log above"
        case 2:
            return "deployflow ${what}: bad input (exit 2); the log above names the file, line and field. " +
                    'Nothing was changed.'
        case 3:
            return "deployflow ${what}: an outside system failed (exit 3) after retries; see the log above"
        default:
            return "deployflow ${what}: unexpected exit code ${code}; is DEPLOYFLOW_CLI (or deployflow on PATH) " +
                    'the deployflow CLI?'
    }
}

/** Reads a JSON file the CLI wrote and returns plain maps and lists (never a LazyMap). */
Object readJson(String path) {
    return parseJson(readFile(file: path, encoding: 'UTF-8'))
}

/** Reads a JSON file if the CLI wrote one, else returns null (e.g. after exit 2 or 3). */
Object readJsonIfPresent(String path) {
    return fileExists(path) ? readJson(path) : null
}

@NonCPS
Object parseJson(String text) {
    return plain(new groovy.json.JsonSlurper().parseText(text))
}

@NonCPS
Object plain(Object value) {
    if (value instanceof Map) {
        Map copy = [:]
        for (Object entry : value.entrySet()) {
            copy.put(entry.key.toString(), plain(entry.value))
        }
        return copy
    }
    if (value instanceof List) {
        List copy = []
        for (Object item : value) {
            copy.add(plain(item))
        }
        return copy
    }
    return value
}

@NonCPS
String toJson(Object value) {
    return groovy.json.JsonOutput.prettyPrint(groovy.json.JsonOutput.toJson(value))
}

/** A plan given as a path is used as it is; a plan given as a map (what releaseMeeting returns) is written out. */
String planFile(Object plan, String whereToWrite) {
    if (plan instanceof CharSequence) {
        return plan.toString()
    }
    if (plan instanceof Map) {
        writeFile(file: whereToWrite, text: toJson(plan), encoding: 'UTF-8')
        return whereToWrite
    }
    error('deployflow: plan must be the path of a plan.json or the map releaseMeeting returned')
    return null
}

/** Makes sure a directory exists before a CLI option that writes into it (writeFile creates parents). */
void outDir(String path) {
    writeFile(file: path + '/.deployflow', text: 'files written by the deployflow steps\n')
}

/**
 * Runs body with the credentials the CLI reads from its environment. ids may hold: git (username/password),
 * gitSsh (SSH private key), registry (username/password), github (secret text), portainerApiKey (secret text,
 * bound to apiKeyEnv, default PORTAINER_API_KEY), portainerLogin (username/password).
 */
Object withSecrets(Map ids, Closure body) {
    List bindings = []
    if (ids.git) {
        bindings.add(usernamePassword(credentialsId: ids.git, usernameVariable: 'DEPLOYFLOW_GIT_USERNAME',
                passwordVariable: 'DEPLOYFLOW_GIT_PASSWORD'))
    }
    if (ids.gitSsh) {
        bindings.add(sshUserPrivateKey(credentialsId: ids.gitSsh, keyFileVariable: 'DEPLOYFLOW_GIT_SSH_KEY'))
    }
    if (ids.registry) {
        bindings.add(usernamePassword(credentialsId: ids.registry, usernameVariable: 'DEPLOYFLOW_REGISTRY_USERNAME',
                passwordVariable: 'DEPLOYFLOW_REGISTRY_PASSWORD'))
    }
    if (ids.github) {
        bindings.add(string(credentialsId: ids.github, variable: 'DEPLOYFLOW_GITHUB_TOKEN'))
    }
    if (ids.portainerApiKey) {
        bindings.add(string(credentialsId: ids.portainerApiKey, variable: ids.apiKeyEnv ?: 'PORTAINER_API_KEY'))
    }
    if (ids.portainerLogin) {
        bindings.add(usernamePassword(credentialsId: ids.portainerLogin,
                usernameVariable: ids.usernameEnv ?: 'PORTAINER_USERNAME',
                passwordVariable: ids.passwordEnv ?: 'PORTAINER_PASSWORD'))
    }
    if (bindings.isEmpty()) {
        return body()
    }
    return withCredentials(bindings) {
        body()
    }
}

/**
 * The settings of deployflow.yaml a step needs (`config show`): for [customer: name] its repository, branches,
 * compose file, routes, Portainer target and credential ids; for [component: name] its release mode and credential
 * ids; always the deciders. Defaults are filled in and credential ids resolved (the customer's or component's own,
 * else the top-level ones), so a Jenkinsfile names customers only and deployflow.yaml is the one source.
 */
Map settings(String config, Map which, String dir) {
    List command = ['config', 'show', '--config', config]
    String name = 'all'
    if (which.customer) {
        command.addAll(['--customer', which.customer])
        name = 'customer-' + which.customer
    }
    if (which.component) {
        command.addAll(['--component', which.component])
        name = 'component-' + which.component
    }
    String path = dir + '/config-' + name + '.json'
    outDir(dir)
    command.addAll(['--json', path])
    check(runCli(command), 'config show')
    return readJson(path)
}

/** An explicit step parameter wins over deployflow.yaml's setting. */
@NonCPS
Object choose(Object explicit, Object configured) {
    return explicit != null && explicit != '' ? explicit : configured
}

/**
 * What a decision means for the build's result (the engine says, in the record's buildResult): UNSTABLE for a
 * release with a known error or without a component, FAILURE for nothing released. The result only ever gets
 * worse, as in Jenkins; the record's summary goes into the description.
 */
void applyBuildResult(Map record) {
    if (record.summary) {
        describe(record.summary)
    }
    if (record.buildResult == 'UNSTABLE') {
        unstable(record.summary ?: 'released, but not as planned')
    } else if (record.buildResult == 'FAILURE') {
        echo "FAILURE: ${record.summary ?: 'not released'}"
        currentBuild.result = 'FAILURE'
    }
}

/** Adds a line to the build description, keeping what other steps wrote. */
void describe(String line) {
    String current = currentBuild.description
    currentBuild.description = current ? current + ' | ' + line : line
}

/** A docker-compose project name unique to this build: lowercase letters, digits, '-' and '_' only. */
String projectName(String suffix) {
    return composeProjectName("df-${env.JOB_NAME ?: 'job'}-${env.BUILD_NUMBER ?: '0'}-${suffix}")
}

@NonCPS
String composeProjectName(String raw) {
    String name = raw.toLowerCase().replaceAll(/[^a-z0-9_-]+/, '-').replaceAll(/-{2,}/, '-')
            .replaceAll(/^[-_]+|[-_]+$/, '')
    return name.length() > 63 ? name.substring(0, 63).replaceAll(/[-_]+$/, '') : name
}
