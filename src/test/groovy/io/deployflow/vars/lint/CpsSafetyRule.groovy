package io.deployflow.vars.lint

import org.codehaus.groovy.ast.MethodNode
import org.codehaus.groovy.ast.expr.BinaryExpression
import org.codehaus.groovy.ast.expr.ClosureExpression
import org.codehaus.groovy.ast.expr.MethodCallExpression
import org.codehaus.groovy.ast.expr.TupleExpression
import org.codenarc.rule.AbstractAstVisitor
import org.codenarc.rule.AbstractAstVisitorRule

/**
 * The Jenkins CPS traps of DESIGN.md ("The library half") that a generic Groovy linter does not know:
 * a step called inside @NonCPS runs out of order; a comparator closure sorts wrongly in CPS code; a Matcher (=~)
 * kept in CPS code fails to serialize across a step; FlowInterruptedException.getCauses() fails in the sandbox.
 */
class CpsSafetyRule extends AbstractAstVisitorRule {
    String name = 'CpsSafety'
    int priority = 1
    Class astVisitorClass = CpsSafetyAstVisitor
}

class CpsSafetyAstVisitor extends AbstractAstVisitor {
    /** Pipeline steps the vars use; none may run inside @NonCPS. */
    static final Set<String> STEPS = ['sh', 'bat', 'readFile', 'writeFile', 'fileExists', 'echo', 'error', 'input',
                                      'withCredentials', 'archiveArtifacts', 'junit', 'git', 'checkout', 'dir',
                                      'timeout', 'mail', 'unstable', 'libraryResource', 'sleep', 'parallel', 'node',
                                      'stage', 'retry', 'withEnv'] as Set

    private boolean nonCps

    @Override
    protected void visitMethodEx(MethodNode node) {
        nonCps = node.annotations.any { it.classNode.nameWithoutPackage == 'NonCPS' }
        super.visitMethodEx(node)
    }

    @Override
    void visitMethodCallExpression(MethodCallExpression call) {
        String method = call.methodAsString
        if (nonCps && call.implicitThis && method in STEPS) {
            addViolation(call, "step '${method}' called inside a @NonCPS method: it would run out of order")
        }
        if (!nonCps && method in ['sort', 'toSorted'] && hasClosureArgument(call)) {
            addViolation(call, "${method} with a closure in CPS code gives wrong results; sort inside @NonCPS")
        }
        if (method == 'getCauses') {
            addViolation(call, 'FlowInterruptedException.getCauses() is refused in the sandbox')
        }
        super.visitMethodCallExpression(call)
    }

    @Override
    void visitBinaryExpression(BinaryExpression expression) {
        if (!nonCps && expression.operation.text == '=~') {
            addViolation(expression, 'a regex Matcher (=~) in CPS code cannot be kept across a step; use ==~ ' +
                    'or move the matching into @NonCPS')
        }
        super.visitBinaryExpression(expression)
    }

    private static boolean hasClosureArgument(MethodCallExpression call) {
        return call.arguments instanceof TupleExpression &&
                ((TupleExpression) call.arguments).expressions.any { it instanceof ClosureExpression }
    }
}
