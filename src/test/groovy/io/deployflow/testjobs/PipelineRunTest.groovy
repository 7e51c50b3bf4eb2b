package io.deployflow.testjobs

import hudson.AbortException
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

import java.nio.file.Files
import java.nio.file.Path

import static org.junit.jupiter.api.Assertions.assertEquals
import static org.junit.jupiter.api.Assertions.assertFalse
import static org.junit.jupiter.api.Assertions.assertNull
import static org.junit.jupiter.api.Assertions.assertTrue

/**
 * The harness's Pipeline semantics, each on a small job, so that a test job's result means what Jenkins would
 * give: stage order, skipping after a failure, post conditions, when, parameters, input shapes, result rules,
 * junit, masking, and that what it cannot interpret stops the test.
 */
class PipelineRunTest {
    Path dir
    JobCredentials credentials

    @BeforeEach
    void setUp() {
        dir = Files.createTempDirectory('pipeline-run')
        credentials = JobCredentials.realistic()
    }

    PipelineRun run(String job, String inputs = '', Map<String, Object> overrides = [:]) {
        Path file = dir.resolve('job.Jenkinsfile')
        Files.writeString(file, job)
        List<JobHeader.InputAnswer> answers = JobHeader.parse('job', ['// needs:', '// expect: SUCCESS',
                                                                      '// inputs: ' + inputs]).inputs
        PipelineRun run = new PipelineRun(file, dir.resolve('run'), [:], overrides, credentials, answers)
        run.run()
        return run
    }

    static String console(PipelineRun run) {
        return run.console.toString()
    }

    @Test
    void aFailedStageSkipsTheLaterOnesAndPostRunsByResult() {
        PipelineRun run = run('''
pipeline {
  agent any
  stages {
    stage('one') { steps { echo 'one ran' } }
    stage('two') { steps { sh 'exit 3' } }
    stage('three') { steps { echo 'three ran' } }
  }
  post {
    always { echo 'post always' }
    success { echo 'post success' }
    failure { echo "post failure, result ${currentBuild.currentResult}" }
  }
}''')
        assertEquals('FAILURE', run.currentBuild.currentResult)
        assertEquals(['one', 'two', 'three (skipped: earlier failure)'], run.stages)
        assertTrue(console(run).contains('script returned exit code 3'), console(run))
        assertTrue(console(run).contains('post always'))
        assertTrue(console(run).contains('post failure, result FAILURE'))
        assertFalse(console(run).contains('post success'))
        assertFalse(console(run).contains('three ran'))
        assertTrue(run.failure instanceof AbortException)
    }

    @Test
    void unstableGoesOnWithTheNextStageAndTheResultNeverGetsBetter() {
        PipelineRun run = run('''
pipeline {
  agent any
  stages {
    stage('warn') {
      steps { unstable 'flaky' }
      post { unstable { echo 'stage was unstable' } }
    }
    stage('after') {
      steps {
        script {
          currentBuild.result = 'SUCCESS'
          echo "still ${currentBuild.result}"
        }
      }
    }
  }
  post { unstable { echo 'build unstable' } }
}''')
        assertEquals('UNSTABLE', run.currentBuild.currentResult)
        assertEquals(['warn', 'after'], run.stages)
        assertTrue(console(run).contains('stage was unstable'))
        assertTrue(console(run).contains('still UNSTABLE'), 'a result only gets worse')
        assertTrue(console(run).contains('build unstable'))
    }

    @Test
    void parametersGiveDefaultsAndWhenSkipsAStage() {
        PipelineRun run = run('''
pipeline {
  agent any
  parameters {
    string(name: 'TARGET', defaultValue: 'staging', description: 'where')
    booleanParam(name: 'DEPLOY', defaultValue: false)
    choice(name: 'MODE', choices: ['fast', 'slow'])
    string(name: 'HTTP_PORT', defaultValue: '8080')
  }
  environment { GREETING = "to ${params.TARGET}"; TWICE = "${GREETING}!" }
  stages {
    stage('deploy') {
      when { expression { params.DEPLOY } }
      steps { echo 'deployed' }
    }
    stage('report') {
      when { allOf { environment name: 'TARGET', value: 'prod'; not { expression { params.DEPLOY } } } }
      steps { sh 'echo "$TWICE $MODE port=$HTTP_PORT"' }
    }
  }
}''', '', [TARGET: 'prod'])
        assertEquals('SUCCESS', run.currentBuild.currentResult)
        assertEquals(['deploy (skipped: when)', 'report'], run.stages)
        assertEquals(false, run.params.DEPLOY)
        assertTrue(console(run).find(/to prod! fast port=\d+/) != null, console(run))
        assertFalse(console(run).contains('port=8080'), 'a *_PORT parameter gets a free port')
        assertFalse(console(run).contains('deployed'))
    }

    @Test
    void inputReturnsWhatTheInputStepReturnsForEachShape() {
        PipelineRun run = run('''
node {
  def form = input(id: 'gate', message: 'Go?', submitterParameter: 'approver',
                   parameters: [choice(name: 'DECISION', choices: ['no', 'yes']), string(name: 'REASON', defaultValue: 'none')])
  echo "form ${form.DECISION} ${form.REASON} ${form.approver}"
  def who = input(id: 'Confirm', message: 'Sure?', submitterParameter: 'approver')
  echo "who ${who}"
  def nothing = input(id: 'plain', message: 'Ok?')
  echo "nothing ${nothing}"
  def one = input(id: 'one', message: 'Which?', parameters: [string(name: 'ONLY', defaultValue: 'd')])
  echo "one ${one}"
}''', 'Gate=DECISION:yes @dev1; Confirm=approve; Plain=proceed; One=ONLY:x')
        assertEquals('SUCCESS', run.currentBuild.currentResult, console(run))
        assertTrue(console(run).contains('form yes none dev1'), console(run))
        assertTrue(console(run).contains('who admin'))
        assertTrue(console(run).contains('nothing null'))
        assertTrue(console(run).contains('one x'))
        assertEquals(['Gate', 'Confirm', 'Plain', 'One'], run.inputsAsked*.id)
        assertTrue(run.answers.isEmpty())
    }

    @Test
    void anAbortedInputAbortsTheBuild() {
        PipelineRun run = run('''
pipeline {
  agent any
  stages { stage('ask') { steps { input(id: 'Go', message: 'Go?') } } }
  post { aborted { echo 'post aborted' } }
}''', 'Go=abort')
        assertEquals('ABORTED', run.currentBuild.currentResult)
        assertTrue(console(run).contains('post aborted'))
    }

    @Test
    void anInputTheHeaderDoesNotAnswerStopsTheTest() {
        PipelineRun run = run("node { input(id: 'Other', message: 'x') }", 'Go=proceed')
        assertTrue(run.failure instanceof HarnessStop, String.valueOf(run.failure))
        assertTrue(run.failure.message.contains('Other'))
    }

    @Test
    void aChoiceTheInputDoesNotOfferStopsTheTest() {
        PipelineRun run = run("node { input(id: 'Go', message: 'x', parameters: [choice(name: 'D', choices: ['a'])]) }",
                'Go=D:b')
        assertTrue(run.failure instanceof HarnessStop)
    }

    @Test
    void aFailedJunitCaseMakesTheBuildUnstable() {
        PipelineRun run = run('''
node {
  writeFile file: 'out/r.xml', text: '<testsuite><testcase name="a"/><testcase name="b"><failure message="x"/></testcase></testsuite>'
  def r = junit(testResults: 'out/*.xml')
  echo "counts ${r.totalCount} ${r.failCount}"
  junit(testResults: 'out/*.xml', skipMarkingBuildUnstable: true)
}''')
        assertEquals('UNSTABLE', run.currentBuild.currentResult)
        assertTrue(console(run).contains('counts 2 1'))
    }

    @Test
    void archivingNothingFailsUnlessAllowed() {
        PipelineRun run = run('''
node {
  writeFile file: 'a/x.json', text: '{}'
  archiveArtifacts artifacts: 'a/*.json'
  archiveArtifacts artifacts: 'none/*.json', allowEmptyArchive: true
  archiveArtifacts artifacts: 'none/*.json'
}''')
        assertEquals('FAILURE', run.currentBuild.currentResult)
        assertTrue(Files.isRegularFile(run.archive.resolve('a/x.json')))
        assertTrue(run.failure.message.contains('No artifacts found'))
    }

    @Test
    void credentialsAreMaskedInTheConsoleAndALeakIntoAFileIsFound() {
        PipelineRun run = run('''
node {
  withCredentials([string(credentialsId: 'github-token', variable: 'TOKEN')]) {
    sh 'echo "token is $TOKEN"; echo "$TOKEN" > leaked.txt'
  }
}''')
        String token = credentials.get('github-token').secret
        assertEquals('SUCCESS', run.currentBuild.currentResult)
        assertTrue(console(run).contains('token is ****'), console(run))
        assertFalse(console(run).contains(token))
        List<String> leaks = new io.deployflow.testsupport.LeakScan(credentials.secrets()).inFiles(run.workspace)
        assertEquals(1, leaks.size(), leaks.toString())
        assertTrue(leaks[0].contains('leaked.txt'))
    }

    @Test
    void shRunsWithoutUserInAWorkspaceOfItsOwnAndDirAndDeleteDirWork() {
        PipelineRun run = run('''
node {
  sh 'test -z "${USER:-}" && test "$PWD" = "$WORKSPACE" && test "$HOME" != /root'
  dir('sub') { writeFile file: 'f.txt', text: 'x'; sh 'test -f f.txt' }
  if (!fileExists('sub/f.txt')) { error 'dir did not write into sub' }
  dir('sub') { deleteDir() }
  if (fileExists('sub')) { error 'deleteDir left sub' }
  def out = sh(returnStdout: true, script: 'echo hello').trim()
  int code = sh(returnStatus: true, script: 'exit 4')
  echo "out=${out} code=${code}"
}''')
        assertEquals('SUCCESS', run.currentBuild.currentResult, console(run))
        assertTrue(console(run).contains('out=hello code=4'))
    }

    @Test
    void theGitStepRefusesLocalRemotesAsThePluginDoes() {
        PipelineRun run = run("node { git url: 'file:///tmp/x.git', branch: 'main' }")
        assertEquals('FAILURE', run.currentBuild.currentResult)
        assertTrue(run.failure.message.contains('ALLOW_LOCAL_CHECKOUT'))
    }

    @Test
    void anUnknownStepOrDirectiveIsNoBuildResult() {
        assertTrue(run("node { stash name: 'x' }").failure instanceof MissingMethodException)
        PipelineRun declarative = run("pipeline { agent any; tools { jdk 'x' }; stages { stage('a') { steps { echo 'a' } } } }")
        assertTrue(declarative.failure instanceof HarnessStop, String.valueOf(declarative.failure))
    }

    @Test
    void aStepNamedLikeADirectiveInsideStepsIsTheStep() {
        PipelineRun run = run('''
pipeline {
  agent any
  stages {
    stage('ask') {
      input { message 'Stage gate'; id 'StageGate'; submitterParameter 'approver' }
      steps {
        script {
          def again = input(id: 'InSteps', message: 'x', submitterParameter: 'who')
          echo "stage input by ${env.approver}, step input by ${again}"
        }
      }
    }
  }
}''', 'StageGate=approve @dev2; InSteps=approve')
        assertEquals('SUCCESS', run.currentBuild.currentResult, console(run))
        assertTrue(console(run).contains('stage input by dev2, step input by admin'), console(run))
        assertNull(run.failure)
    }
}
