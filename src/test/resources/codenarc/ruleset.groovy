// CodeNarc rules for the shared library's vars/ (run by io.deployflow.vars.VarsLintTest; priority 1 and 2 fail).
ruleset {
    ruleset('rulesets/basic.xml')
    ruleset('rulesets/imports.xml')
    ruleset('rulesets/unused.xml')
    ruleset('rulesets/braces.xml')
    ruleset('rulesets/naming.xml') {
        // vars are scripts: their file names (releaseMeeting) are the step names Jenkins users call.
        exclude 'FactoryMethodName'
    }
    ruleset('rulesets/exceptions.xml') {
        // releaseDecision's optional mail must not stop a release, whatever the Mailer plugin throws.
        exclude 'CatchException'
    }
    ruleset('rulesets/formatting.xml') {
        LineLength { length = 120 }
        // Closure and map-literal spacing are a matter of taste; the rules below catch real mistakes.
        exclude 'SpaceAroundMapEntryColon'
        exclude 'ClassStartsWithBlankLine'
        exclude 'ClassEndsWithBlankLine'
        exclude 'Indentation'
        exclude 'ConsecutiveBlankLines'
        exclude 'SpaceAfterOpeningBrace'
        exclude 'SpaceBeforeClosingBrace'
        exclude 'BlockStartsWithBlankLine'
        exclude 'BlockEndsWithBlankLine'
    }
    // Refused by the Jenkins script-security sandbox (DESIGN.md): JsonSlurperClassic, new java.util.LinkedHashMap.
    IllegalClassReference {
        name = 'SandboxRefusedClass'
        priority = 1
        classNames = 'JsonSlurperClassic, groovy.json.JsonSlurperClassic, java.util.LinkedHashMap, LinkedHashMap, ' +
                'java.util.HashMap, HashMap'
    }
    rule(io.deployflow.vars.lint.CpsSafetyRule)
}
