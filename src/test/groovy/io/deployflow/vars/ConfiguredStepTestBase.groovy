package io.deployflow.vars

import groovy.json.JsonOutput

import java.nio.file.Files
import java.nio.file.Path

/**
 * For steps that read their settings from deployflow.yaml through `config show`: the fake agent answers that call
 * with {@link #settings} (as the real CLI shapes it) and keeps it apart from the step's other CLI calls, which the
 * tests check one by one. {@link #configShows} records what was asked.
 */
abstract class ConfiguredStepTestBase extends VarsTestBase {
    /** What deployflow.yaml says, in `config show --json`'s shape; a test changes it before calling the step. */
    Map settings = [
            customer   : [repo      : 'https://git.example.org/customers/acme-stack.git', composeFile: 'docker-compose.yml',
                          mainBranch: 'main', developBranch: 'develop', routes: 'smoke/routes.yaml', baseUrl: null,
                          contacts  : ['ops@acme.example'],
                          portainer : [url       : 'https://portainer.example.org', endpoint: 'prod', stack: 'acme',
                                       apiKeyEnv : 'PORTAINER_API_KEY', usernameEnv: 'PORTAINER_USERNAME',
                                       passwordEnv: 'PORTAINER_PASSWORD'],
                          credentials: [git: 'customer-creds', github: 'github-token', portainer: 'portainer-key']],
            component  : [repo   : 'https://git.example.org/fhir/gateway.git', developBranch: 'develop', tagPrefix: 'v',
                          image  : 'registry.example.org/fhir/fhir-gateway', release: 'pipeline',
                          releaseWaitMinutes: 60,
                          credentials: [git: 'git-creds', registry: 'registry-creds', github: 'github-token']],
            deciders   : ['dev1'],
            credentials: [git: 'git-creds', registry: 'registry-creds', github: 'github-token'],
            channels   : [mail: false, webhooks: []]]
    List<List<String>> configShows = []

    @Override
    Object runSh(Map a) {
        List<String> argv = ShellWords.split(a.script.toString()).drop(cliPrefix().size())
        if (argv.take(2) != ['config', 'show']) {
            return super.runSh(a)
        }
        shScripts.add(a.script.toString())
        configShows.add(argv)
        Map shown = [config: opt(argv, '--config'), deciders: settings.deciders, credentials: settings.credentials,
                     channels: settings.channels]
        if (opt(argv, '--customer')) {
            shown.customer = [name: opt(argv, '--customer')] + settings.customer
        }
        if (opt(argv, '--component')) {
            shown.component = [name: opt(argv, '--component')] + settings.component
        }
        Path out = ws(opt(argv, '--json'))
        Files.createDirectories(out.parent)
        Files.writeString(out, JsonOutput.toJson(shown))
        return 0
    }
}
