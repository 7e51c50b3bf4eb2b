package io.deployflow.testjobs

import hudson.AbortException
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException

/**
 * The steps a test job (and the library under it) may call, registered with JenkinsPipelineUnit for one
 * {@link PipelineRun}. Anything not here is unknown, as a step of a plugin the agent lacks would be.
 */
final class Steps {
    /** Credential binding kinds of credentials-binding; a {@code string(...)} with a credentialsId is one. */
    static final Set<String> BINDINGS = ['usernamePassword', 'usernameColonPassword', 'string', 'sshUserPrivateKey',
                                        'file'] as Set

    private Steps() {
    }

    static void register(PipelineRun run) {
        def h = run.helper
        h.registerAllowedMethod('sh', [Object]) { Object a -> run.sh(a) }
        h.registerAllowedMethod('echo', [Object]) { Object m -> run.log(m) }
        h.registerAllowedMethod('println', [Object]) { Object m -> run.log(m) }
        h.registerAllowedMethod('error', [Object]) { Object m -> throw new AbortException(String.valueOf(m)) }
        h.registerAllowedMethod('unstable', [Object]) { Object m ->
            run.markUnstable(m instanceof Map ? String.valueOf(m.message) : String.valueOf(m))
        }
        h.registerAllowedMethod('readFile', [Object]) { Object a -> run.readFile(a) }
        h.registerAllowedMethod('writeFile', [Map]) { Map a -> run.writeFile(a) }
        h.registerAllowedMethod('fileExists', [Object]) { Object f -> run.fileExists(f) }
        h.registerAllowedMethod('deleteDir', []) { -> run.deleteDir() }
        h.registerAllowedMethod('dir', [Object, Closure]) { Object d, Closure c -> run.inDir(d, c) }
        h.registerAllowedMethod('pwd', []) { -> run.cwd().toString() }
        h.registerAllowedMethod('pwd', [Map]) { Map a -> (a.tmp ? run.tmp : run.cwd()).toString() }
        h.registerAllowedMethod('isUnix', []) { -> true }
        h.registerAllowedMethod('archiveArtifacts', [Object]) { Object a -> run.archiveArtifacts(a) }
        h.registerAllowedMethod('junit', [Object]) { Object a -> run.junit(a) }
        h.registerAllowedMethod('git', [Map]) { Map a -> run.git(a) }
        h.registerAllowedMethod('git', [String]) { String url -> run.git([url: url]) }
        h.registerAllowedMethod('input', [Object]) { Object a -> run.input(a) }
        h.registerAllowedMethod('mail', [Map]) { Map a ->
            run.mails.add(a)
            run.log("mail to ${a.to}: ${a.subject}")
        }
        h.registerAllowedMethod('library', [Object]) { Object id -> run.library(id) }
        h.registerAllowedMethod('libraryResource', [Object]) { Object p -> run.libraryResource(p) }
        h.registerAllowedMethod('withCredentials', [List, Closure]) { List b, Closure c -> run.withCredentials(b, c) }
        BINDINGS.each { String kind ->
            h.registerAllowedMethod(kind, [Map]) { Map a ->
                if (kind == 'string' && !a.credentialsId) {
                    return ParameterDefinitions.define('string', a)
                }
                return [kind: kind] + a
            }
        }
        (ParameterDefinitions.TYPES - ['string']).each { String type ->
            h.registerAllowedMethod(type, [Map]) { Map a -> ParameterDefinitions.define(type, a) }
        }
        h.registerAllowedMethod('withEnv', [List, Closure]) { List vars, Closure c -> withEnv(run, vars, c) }
        // the harness does not enforce time limits: a step that hangs is stopped by sh's own limit
        h.registerAllowedMethod('timeout', [Map, Closure]) { Map a, Closure c -> c.call() }
        h.registerAllowedMethod('timeout', [Integer, Closure]) { Integer minutes, Closure c -> c.call() }
        h.registerAllowedMethod('node', [Closure]) { Closure c -> node(run, c) }
        h.registerAllowedMethod('node', [Object, Closure]) { Object label, Closure c -> node(run, c) }
        h.registerAllowedMethod('stage', [Object, Closure]) { Object name, Closure c ->
            run.stages.add(name.toString())
            run.log("[Pipeline] { (${name})")
            c.call()
        }
        h.registerAllowedMethod('parallel', [Map]) { Map branches -> parallel(run, branches) }
        h.registerAllowedMethod('catchError', [Closure]) { Closure c -> catchError(run, [:], c) }
        h.registerAllowedMethod('catchError', [Map, Closure]) { Map a, Closure c -> catchError(run, a, c) }
        h.registerAllowedMethod('warnError', [Object, Closure]) { Object m, Closure c ->
            catchError(run, [message: m, buildResult: 'UNSTABLE', stageResult: 'UNSTABLE'], c)
        }
        h.registerAllowedMethod('retry', [Integer, Closure]) { Integer n, Closure c -> retry(run, n, c) }
        h.registerAllowedMethod('sleep', [Object]) { Object a -> sleep(a) }
        h.registerAllowedMethod('script', [Closure]) { Closure c -> c.call() }
        h.registerAllowedMethod('pipeline', [Closure]) { Closure c -> new Declarative(run).run(c) }
    }

    /** Makes {@code name(args)} call the var's {@code call(args)}, as Jenkins does for a global variable. */
    static void registerVarCall(PipelineRun run, String name, Script var, List<Class> types) {
        switch (types.size()) {
            case 0:
                run.helper.registerAllowedMethod(name, types) { -> var.invokeMethod('call', [] as Object[]) }
                break
            case 1:
                run.helper.registerAllowedMethod(name, types) { a -> var.invokeMethod('call', [a] as Object[]) }
                break
            case 2:
                run.helper.registerAllowedMethod(name, types) { a, b -> var.invokeMethod('call', [a, b] as Object[]) }
                break
            default:
                throw new HarnessStop("vars/${name}.groovy: call with ${types.size()} parameters is not supported")
        }
    }

    static Object node(PipelineRun run, Closure body) {
        run.log('[Pipeline] node')
        return run.inDir(run.workspace, body)
    }

    /** withEnv(['A=1', 'PATH+EXTRA=/opt/bin']): PATH+X prepends to PATH, as Jenkins does. */
    static Object withEnv(PipelineRun run, List vars, Closure body) {
        Map<String, String> set = [:]
        vars.each { String entry ->
            int eq = entry.indexOf('=')
            String name = entry.substring(0, eq)
            String value = entry.substring(eq + 1)
            if (name.contains('+')) {
                String base = name.substring(0, name.indexOf('+'))
                String current = run.env[base] ?: run.processEnv()[base]
                set[base] = current ? value + File.pathSeparator + current : value
            } else {
                set[name] = value
            }
        }
        return run.env.with(set, body)
    }

    /** Branches run one after another; each runs even when another failed, unless failFast. */
    static Object parallel(PipelineRun run, Map branches) {
        boolean failFast = branches.failFast == true
        Throwable first = null
        branches.findAll { k, v -> k != 'failFast' }.each { name, Closure body ->
            if (first != null && failFast) {
                run.log("[${name}] not run: failFast after an earlier branch failed")
                return
            }
            run.log("[Pipeline] [${name}] {")
            try {
                body.call()
            } catch (HarnessStop | MissingMethodException | MissingPropertyException stop) {
                throw stop
            } catch (Throwable t) {
                run.log("[${name}] failed: ${t.message}")
                first = first ?: t
            }
        }
        if (first != null) {
            throw first
        }
        return null
    }

    static Object catchError(PipelineRun run, Map a, Closure body) {
        try {
            return body.call()
        } catch (HarnessStop | MissingMethodException | MissingPropertyException stop) {
            throw stop
        } catch (Throwable t) {
            if (t instanceof FlowInterruptedException && a.catchInterruptions == false) {
                throw t
            }
            String build = (a.buildResult ?: 'FAILURE').toString()
            String stage = (a.stageResult ?: build).toString()
            run.log("${a.message ?: 'ERROR'}: ${t.message}")
            run.currentBuild.result = build
            run.stageResult = BuildResult.of(stage).combine(run.stageResult)
            return null
        }
    }

    static Object retry(PipelineRun run, int times, Closure body) {
        for (int attempt = 1; ; attempt++) {
            try {
                return body.call()
            } catch (HarnessStop | MissingMethodException | MissingPropertyException | FlowInterruptedException stop) {
                throw stop
            } catch (Throwable t) {
                if (attempt >= times) {
                    throw t
                }
                run.log("ERROR: ${t.message}\nRetrying")
            }
        }
    }

    static void sleep(Object a) {
        long seconds = a instanceof Map ? java.util.concurrent.TimeUnit.valueOf((a.unit ?: 'SECONDS').toString())
                .toSeconds(a.time as long) : a as long
        Thread.sleep(seconds * 1000L)
    }
}
