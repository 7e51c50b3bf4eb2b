package io.deployflow.testjobs

/**
 * Reads a Declarative {@code pipeline {}} block into plain data: each section's closure runs once with a reader as
 * its delegate; the closures that run later (steps, post blocks, when expressions, environment) are kept, and the
 * readers are detached again so that a step inside {@code steps {}} never resolves to a directive of the same name
 * (a step {@code input} is not the stage's {@code input} directive).
 */
final class Model {
    private Model() {
    }

    static PipelineSection parse(Closure body) {
        PipelineSection pipeline = new PipelineSection()
        Model.runWith(body, pipeline)
        if (pipeline.stages.isEmpty()) {
            throw new HarnessStop('pipeline {} has no stages')
        }
        return pipeline
    }

    static void runWith(Closure section, Object reader) {
        section.resolveStrategy = Closure.DELEGATE_FIRST
        section.delegate = reader
        try {
            section.call()
        } finally {
            // a detached closure resolves as any closure does: through its owners, up to the job script
            section.resolveStrategy = Closure.OWNER_FIRST
            section.delegate = section.owner
        }
    }

    /** A directive a reader does not know: the test stops here rather than run a job it cannot interpret. */
    static Object unknown(String where, String name) {
        throw new HarnessStop("the harness does not interpret '${name}' in ${where}; teach Model/Declarative")
    }

    static final class Agents {
        private Agents() {
        }

        static Object read(Object a) {
            if (a instanceof Closure) {
                Map agent = [:]
                Model.runWith(a, new AgentSection(agent))
                return agent
            }
            if (!(a in ['any', 'none'])) {
                Model.unknown('agent', String.valueOf(a))
            }
            return a
        }
    }
}

class PipelineSection {
    Object agent
    List<Map> parameters = []
    List<String> options = []
    List<String> triggers = []
    List<String> libraries = []
    Closure environment
    List<StageSection> stages = []
    Map<String, Closure> post = [:]

    String getAny() { 'any' }

    String getNone() { 'none' }

    void agent(Object a) { agent = Model.Agents.read(a) }

    void parameters(Closure c) { Model.runWith(c, new ParametersSection(parameters)) }

    void options(Closure c) { Model.runWith(c, new OptionsSection(options)) }

    void triggers(Closure c) { Model.runWith(c, new TriggersSection(triggers)) }

    void libraries(Closure c) { Model.runWith(c, new LibrariesSection(libraries)) }

    void environment(Closure c) { environment = c }

    void stages(Closure c) { Model.runWith(c, new StagesSection(stages)) }

    void post(Closure c) { Model.runWith(c, new PostSection(post)) }

    Object methodMissing(String name, Object args) { Model.unknown('pipeline', name) }
}

class StagesSection {
    final List<StageSection> list

    StagesSection(List<StageSection> list) { this.list = list }

    void stage(Object name, Closure c) {
        StageSection stage = new StageSection(name.toString())
        Model.runWith(c, stage)
        int bodies = [stage.steps != null, !stage.stages.isEmpty(), !stage.parallel.isEmpty()].count(true)
        if (bodies != 1) {
            throw new HarnessStop("stage '${name}' needs exactly one of steps, stages or parallel")
        }
        list.add(stage)
    }

    Object methodMissing(String name, Object args) { Model.unknown('stages', name) }
}

class StageSection {
    final String name
    Object agent
    WhenSection when
    Closure environment
    Closure steps
    List<StageSection> stages = []
    List<StageSection> parallel = []
    boolean failFast
    Map<String, Closure> post = [:]
    Map input
    List<String> options = []

    StageSection(String name) { this.name = name }

    String getAny() { 'any' }

    String getNone() { 'none' }

    void agent(Object a) { agent = Model.Agents.read(a) }

    void when(Closure c) {
        when = new WhenSection('allOf')
        Model.runWith(c, when)
    }

    void environment(Closure c) { environment = c }

    void options(Closure c) { Model.runWith(c, new OptionsSection(options)) }

    void steps(Closure c) { steps = c }

    void stages(Closure c) { Model.runWith(c, new StagesSection(stages)) }

    void parallel(Closure c) { Model.runWith(c, new StagesSection(parallel)) }

    void failFast(boolean value) { failFast = value }

    void post(Closure c) { Model.runWith(c, new PostSection(post)) }

    void input(Closure c) {
        InputSection reader = new InputSection()
        Model.runWith(c, reader)
        input = reader.args
    }

    Object methodMissing(String name, Object args) { Model.unknown("stage '${this.name}'", name) }
}

class AgentSection {
    final Map agent

    AgentSection(Map agent) { this.agent = agent }

    void label(Object l) { agent.label = l }

    void node(Closure c) { Model.runWith(c, this) }

    void customWorkspace(Object w) { Model.unknown('agent', 'customWorkspace') }

    Object methodMissing(String name, Object args) { Model.unknown('agent', name) }
}

class ParametersSection {
    final List<Map> list

    ParametersSection(List<Map> list) { this.list = list }

    Object methodMissing(String name, Object args) {
        Object[] a = args as Object[]
        if (!(name in ParameterDefinitions.TYPES) || a.length != 1 || !(a[0] instanceof Map)) {
            return Model.unknown('parameters', name)
        }
        list.add(ParameterDefinitions.define(name, a[0] as Map))
        return null
    }
}

class OptionsSection {
    static final Set<String> KNOWN = ['timeout', 'disableConcurrentBuilds', 'buildDiscarder', 'logRotator',
                                      'timestamps', 'skipDefaultCheckout', 'skipStagesAfterUnstable',
                                      'ansiColor', 'durabilityHint', 'quietPeriod', 'disableResume'] as Set
    final List<String> list

    OptionsSection(List<String> list) { this.list = list }

    Object methodMissing(String name, Object args) {
        if (!(name in KNOWN)) {
            return Model.unknown('options', name)
        }
        list.add(name)
        return [option: name]
    }
}

class TriggersSection {
    final List<String> list

    TriggersSection(List<String> list) { this.list = list }

    Object methodMissing(String name, Object args) {
        if (!(name in ['cron', 'pollSCM', 'upstream'])) {
            return Model.unknown('triggers', name)
        }
        list.add(name)
        return null
    }
}

class LibrariesSection {
    final List<String> list

    LibrariesSection(List<String> list) { this.list = list }

    void lib(Object id) { list.add(id.toString()) }

    Object methodMissing(String name, Object args) { Model.unknown('libraries', name) }
}

class PostSection {
    static final Set<String> CONDITIONS = ['always', 'success', 'failure', 'unstable', 'aborted',
                                           'unsuccessful', 'cleanup'] as Set
    final Map<String, Closure> blocks

    PostSection(Map<String, Closure> blocks) { this.blocks = blocks }

    Object methodMissing(String name, Object args) {
        Object[] a = args as Object[]
        if (!(name in CONDITIONS) || a.length != 1 || !(a[0] instanceof Closure)) {
            return Model.unknown('post', name)
        }
        blocks[name] = a[0] as Closure
        return null
    }
}

class InputSection {
    final Map args = [:]

    void message(Object m) { args.message = m }

    void id(Object i) { args.id = i }

    void ok(Object o) { args.ok = o }

    void submitter(Object s) { args.submitter = s }

    void submitterParameter(Object s) { args.submitterParameter = s }

    void parameters(Closure c) {
        List<Map> list = []
        Model.runWith(c, new ParametersSection(list))
        args.parameters = list
    }

    Object methodMissing(String name, Object args) { Model.unknown('input', name) }
}

/** A when block: its conditions, all of which (or any, or none) must hold. */
class WhenSection {
    final String mode
    final List<Closure<Boolean>> conditions = []
    boolean beforeAgent

    WhenSection(String mode) { this.mode = mode }

    boolean test() {
        switch (mode) {
            case 'anyOf': return conditions.any { it.call() }
            case 'not': return !conditions.every { it.call() }
            default: return conditions.every { it.call() }
        }
    }

    void expression(Closure c) {
        Closure body = c
        conditions.add({ -> body.call() as boolean })
    }

    void environment(Map a) {
        PipelineRun run = currentRun(a)
        conditions.add({ -> run.env[a.name.toString()] == a.value?.toString() })
    }

    void equals(Map a) {
        conditions.add({ -> a.expected?.toString() == a.actual?.toString() })
    }

    void not(Closure c) { conditions.add(nested('not', c)) }

    void allOf(Closure c) { conditions.add(nested('allOf', c)) }

    void anyOf(Closure c) { conditions.add(nested('anyOf', c)) }

    void beforeAgent(boolean b) { beforeAgent = b }

    void beforeInput(boolean b) { }

    void beforeOptions(boolean b) { }

    /** A job run by a user (as every automated run is) is triggered by UserIdCause only. */
    void triggeredBy(Object cause) {
        String c = cause.toString()
        conditions.add({ -> c in ['UserIdCause', 'hudson.model.Cause$UserIdCause'] })
    }

    /** A pasted job is no multibranch job: it has no BRANCH_NAME, so no branch condition holds. */
    void branch(Object pattern) {
        conditions.add({ -> false })
    }

    private static Closure<Boolean> nested(String mode, Closure c) {
        WhenSection inner = new WhenSection(mode)
        Model.runWith(c, inner)
        return { -> inner.test() }
    }

    private static PipelineRun currentRun(Map a) {
        PipelineRun run = PipelineRun.CURRENT.get()
        if (run == null) {
            throw new HarnessStop("when environment(${a}) outside a run")
        }
        return run
    }

    Object methodMissing(String name, Object args) { Model.unknown('when', name) }
}

/** A credentials('id') reference in an environment block. */
final class CredentialRef {
    final String id

    CredentialRef(String id) { this.id = id }
}

/** Collects NAME = value assignments in order; a value may read an earlier name. */
class EnvironmentSection {
    final PipelineRun run
    final Map<String, Object> values = [:]

    EnvironmentSection(PipelineRun run) { this.run = run }

    CredentialRef credentials(Object id) { new CredentialRef(id.toString()) }

    void propertyMissing(String name, Object value) { values[name] = value }

    Object propertyMissing(String name) {
        if (values.containsKey(name)) {
            return values[name]
        }
        throw new MissingPropertyException(name, EnvironmentSection)
    }
}
