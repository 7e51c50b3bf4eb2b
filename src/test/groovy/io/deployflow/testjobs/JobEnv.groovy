package io.deployflow.testjobs

/** The job's {@code env}: names to strings, as EnvActionImpl keeps them ({@code env.X = 1} stores "1"). */
class JobEnv extends LinkedHashMap<Object, Object> {
    @Override
    Object put(Object key, Object value) {
        return value == null ? super.remove(key.toString()) : super.put(key.toString(), value.toString())
    }

    /** Sets {@code overrides} while {@code body} runs and puts every earlier value back afterwards. */
    Object with(Map<String, String> overrides, Closure body) {
        Map<String, String> before = [:]
        overrides.keySet().each { before[it] = get(it) }
        overrides.each { k, v -> put(k, v) }
        try {
            return body.call()
        } finally {
            before.each { k, v -> put(k, v) }
        }
    }
}
