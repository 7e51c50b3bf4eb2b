package io.deployflow.smoke;

import java.util.LinkedHashMap;
import java.util.Map;

/** The shape of {@code smoke --json}: what dockerPrep, decision and people read back. */
public final class SmokeJson {
    private SmokeJson() {
    }

    public static Map<String, Object> of(SmokeReport report) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("baseUrl", report.baseUrl());
        out.put("passed", report.passed());
        out.put("counts", report.counts());
        out.put("durationMillis", report.durationMillis());
        out.put("routes", report.routes());
        out.put("failures", report.failures());
        return out;
    }
}
