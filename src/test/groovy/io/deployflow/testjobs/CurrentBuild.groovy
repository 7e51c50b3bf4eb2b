package io.deployflow.testjobs

/**
 * The job's {@code currentBuild} (workflow-support's RunWrapper) with what a sandboxed job may use: result (which
 * only gets worse, as Run.setResult does), currentResult, description, displayName, number, build causes.
 */
class CurrentBuild {
    final int number
    final String absoluteUrl
    final String startedBy
    BuildResult worst
    String description
    String displayName

    CurrentBuild(int number, String absoluteUrl, String startedBy) {
        this.number = number
        this.absoluteUrl = absoluteUrl
        this.startedBy = startedBy
        this.displayName = '#' + number
    }

    /** null until something sets a result, as in Jenkins while the build runs. */
    String getResult() {
        return worst?.name()
    }

    void setResult(Object value) {
        worst = BuildResult.of(value).combine(worst)
    }

    String getCurrentResult() {
        return (worst ?: BuildResult.SUCCESS).name()
    }

    String getId() {
        return String.valueOf(number)
    }

    boolean resultIsBetterOrEqualTo(String other) {
        return !BuildResult.of(currentResult).isWorseThan(BuildResult.of(other))
    }

    boolean resultIsWorseOrEqualTo(String other) {
        return !BuildResult.of(other).isWorseThan(BuildResult.of(currentResult))
    }

    /** The build was started by a user (the header's build user), as a person pasting the job would. */
    List<Map> getBuildCauses(String type) {
        List<Map> causes = [[_class: 'hudson.model.Cause$UserIdCause', shortDescription: "Started by user ${startedBy}"
                .toString(), userId: startedBy, userName: startedBy]]
        return type == null || type == 'hudson.model.Cause$UserIdCause' ? causes : []
    }

    List<Map> getBuildCauses() {
        return getBuildCauses(null)
    }

    Object getPreviousBuild() {
        return null
    }

    Object getRawBuild() {
        throw new HarnessStop('currentBuild.rawBuild is refused in the sandbox; the library must not need it')
    }
}
