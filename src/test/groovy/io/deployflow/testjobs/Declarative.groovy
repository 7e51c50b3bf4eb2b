package io.deployflow.testjobs

import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException

/**
 * Declarative Pipeline for the harness (JenkinsPipelineUnit 1.1 has no DeclarativePipelineTest, and the versions
 * that do are not on Maven Central). It reads {@code pipeline {}} into a model first, as Declarative validates the
 * whole file before running, then runs it with Declarative's rules:
 * <ul>
 *   <li>{@code parameters} give {@code params} (and env) their defaults unless the run sets them;</li>
 *   <li>{@code environment} (pipeline and stage) with {@code credentials('id')} bound and masked;</li>
 *   <li>stages in order; {@code when} after the stage's environment; a stage that throws fails the build (ABORTED
 *       for an abort) and every later stage is "skipped due to earlier failure(s)";
 *       {@code options { skipStagesAfterUnstable() }} also skips after UNSTABLE;</li>
 *   <li>nested {@code stages}, {@code parallel} stages (run one after another, each even if another failed unless
 *       {@code failFast}), a stage's {@code input} directive (its answers become the stage's env);</li>
 *   <li>{@code post} of a stage (against the stage's result) and of the pipeline (against the build's), in
 *       Declarative's order: always, aborted, failure, success, unstable, unsuccessful, cleanup; an error in one
 *       block fails the build and the other blocks still run.</li>
 * </ul>
 * A directive it does not know stops the test ({@link HarnessStop}) instead of being ignored.
 */
class Declarative {
    static final List<String> POST_ORDER = ['always', 'aborted', 'failure', 'success', 'unstable', 'unsuccessful',
                                            'cleanup']

    final PipelineRun run
    /** The error that ended a stage; later stages are skipped. */
    private Throwable firstError
    private boolean skipAfterUnstable

    Declarative(PipelineRun run) {
        this.run = run
    }

    void run(Closure body) {
        PipelineSection model = Model.parse(body)
        skipAfterUnstable = model.options.contains('skipStagesAfterUnstable')
        model.libraries.each { run.library(it) }
        applyParameters(model.parameters)
        run.log('[Pipeline] Start of Pipeline')
        withEnvironment(model.environment) {
            model.stages.each { runStage(it, true) }
            runPost(model.post, BuildResult.of(run.currentBuild.currentResult), 'pipeline')
        }
        if (firstError != null) {
            throw firstError
        }
    }

    void applyParameters(List<Map> definitions) {
        definitions.each { Map p ->
            String name = p.name.toString()
            Object given = run.overrideFor(name)
            Object value = given != null ? ParameterDefinitions.valueOf(p, given.toString(), "parameter ${name}")
                    : ParameterDefinitions.defaultOf(p)
            run.params[name] = value
            run.env[name] = value
        }
        run.declaredParameters.addAll(definitions.collect { it.name.toString() })
    }

    private void runStage(StageSection stage, boolean skipAfterFailure) {
        if (skipAfterFailure && (firstError != null || (skipAfterUnstable && run.currentBuild.result == 'UNSTABLE'))) {
            run.log("Stage \"${stage.name}\" skipped due to earlier failure(s)")
            run.stages.add(stage.name + ' (skipped: earlier failure)')
            return
        }
        BuildResult outer = run.stageResult
        run.stageResult = null
        try {
            withEnvironment(stage.environment) {
                if (stage.when != null && !stage.when.test()) {
                    run.log("Stage \"${stage.name}\" skipped due to when conditional")
                    run.stages.add(stage.name + ' (skipped: when)')
                    return
                }
                run.stages.add(stage.name)
                run.log("[Pipeline] { (${stage.name})")
                Throwable error = null
                try {
                    run.env.with(stage.input == null ? [:] : inputEnv(stage.input)) {
                        if (stage.steps != null) {
                            stage.steps.call()
                        } else if (stage.parallel) {
                            runParallel(stage)
                        } else {
                            stage.stages.each { runStage(it, true) }
                        }
                    }
                } catch (HarnessStop | MissingMethodException | MissingPropertyException stop) {
                    throw stop
                } catch (Throwable t) {
                    error = t
                    failed(t)
                }
                runPost(stage.post, stageResult(error), "stage ${stage.name}")
            }
        } finally {
            run.stageResult = run.stageResult == null ? outer : run.stageResult.combine(outer)
        }
    }

    private void runParallel(StageSection stage) {
        Throwable before = firstError
        stage.parallel.each { StageSection branch ->
            runStage(branch, stage.failFast && firstError != before)
        }
    }

    private BuildResult stageResult(Throwable error) {
        BuildResult own = run.stageResult ?: BuildResult.SUCCESS
        if (error == null) {
            return own
        }
        return (error instanceof FlowInterruptedException ? BuildResult.of(error.buildResult()) : BuildResult.FAILURE)
                .combine(own)
    }

    private void failed(Throwable t) {
        firstError = firstError ?: t
        run.endedBy(t)
    }

    private void runPost(Map<String, Closure> post, BuildResult result, String where) {
        POST_ORDER.each { String condition ->
            Closure block = post[condition]
            if (block == null || !meets(condition, result)) {
                return
            }
            run.log("[Pipeline] { (post ${condition}: ${where})")
            try {
                block.call()
            } catch (HarnessStop | MissingMethodException | MissingPropertyException stop) {
                throw stop
            } catch (Throwable t) {
                failed(t)
            }
        }
    }

    private static boolean meets(String condition, BuildResult result) {
        switch (condition) {
            case 'always':
            case 'cleanup': return true
            case 'success': return result == BuildResult.SUCCESS
            case 'unstable': return result == BuildResult.UNSTABLE
            case 'failure': return result == BuildResult.FAILURE
            case 'aborted': return result == BuildResult.ABORTED
            case 'unsuccessful': return result != BuildResult.SUCCESS
            default: throw new HarnessStop("post condition ${condition}")
        }
    }

    /** The stage's input directive: its parameters (and submitter) become the stage's environment. */
    private Map<String, String> inputEnv(Map directive) {
        Object answer = run.input(directive)
        if (answer instanceof Map) {
            return answer.collectEntries { k, v -> [k.toString(), String.valueOf(v)] }
        }
        List names = (directive.parameters ?: [])*.name + (directive.submitterParameter ? [directive.submitterParameter] : [])
        return names.size() == 1 && answer != null ? [(names[0].toString()): answer.toString()] : [:]
    }

    /** Evaluates an environment block in order (a value may use an earlier one) and runs body with it bound. */
    private void withEnvironment(Closure block, Closure body) {
        if (block == null) {
            body.call()
            return
        }
        EnvironmentSection collected = new EnvironmentSection(run)
        Model.runWith(block, collected)
        Map<String, String> values = [:]
        List<String> secrets = []
        collected.values.each { String name, Object value ->
            if (value instanceof CredentialRef) {
                JobCredentials.Entry c = run.credentials.get(value.id)
                secrets.add(c.secret)
                switch (c.type) {
                    case 'string':
                        values[name] = c.secret
                        break
                    case 'usernamePassword':
                        values[name] = c.username + ':' + c.secret
                        values[name + '_USR'] = c.username
                        values[name + '_PSW'] = c.secret
                        break
                    default:
                        throw new HarnessStop("environment credentials('${c.id}') of type ${c.type}")
                }
            } else {
                values[name] = String.valueOf(value)
            }
        }
        run.withMasked(secrets) { run.env.with(values, body) }
    }
}
