package io.deployflow.bluegreen.haproxy;

import io.deployflow.bluegreen.RolloutTarget;
import io.deployflow.bluegreen.RolloutTargetProvider;
import io.deployflow.bluegreen.RouterContext;
import io.deployflow.bluegreen.colours.ComposeColours;

import java.util.List;

/** {@code router.type: haproxy}: see {@link HaproxySettings} for the keys. */
public final class HaproxyTargetProvider implements RolloutTargetProvider {
    @Override
    public List<String> keys() {
        return HaproxySettings.KEYS;
    }

    @Override
    public void validate(RouterContext context) {
        HaproxySettings.from(context);
    }

    @Override
    public RolloutTarget open(RouterContext context) {
        HaproxySettings settings = HaproxySettings.from(context);
        return new HaproxyTarget(context.targetName(), context.activeService(), context.previewService(), settings,
                new ComposeColours(settings.colours(), context.environment()));
    }
}
