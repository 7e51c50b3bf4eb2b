package io.deployflow.ledger;

import io.deployflow.config.DeployflowConfig;
import io.deployflow.core.SecretNames;
import io.deployflow.core.SecretValues;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * A ledger whose clock the test sets, for histories spread over weeks: each entry is stamped with the time the
 * test chose, through the real ledger code (hash chain included). The same file a command would open.
 */
public final class TimedLedger extends Clock {
    private Instant now;

    public TimedLedger(Instant start) {
        this.now = start;
    }

    public void at(Instant time) {
        now = time;
    }

    public Ledger open(DeployflowConfig config, Map<String, String> env) {
        return new Ledger(new LocalLedgerStore(config.ledger().dir()), config.ledger().path(), env,
                new SecretValues(env, SecretNames.NONE, List.of()), this);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
