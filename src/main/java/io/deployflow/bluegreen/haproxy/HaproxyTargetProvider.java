package io.deployflow.bluegreen.haproxy;

import io.deployflow.bluegreen.RolloutTarget;
import io.deployflow.bluegreen.RolloutTargetProvider;
import io.deployflow.bluegreen.RouterContext;
import io.deployflow.bluegreen.colours.ColourRuntime;
import io.deployflow.bluegreen.colours.ColourSettings;
import io.deployflow.bluegreen.colours.ComposeColours;
import io.deployflow.bluegreen.colours.PortainerColours;
import io.deployflow.config.PortainerTarget;
import io.deployflow.portainer.Credentials;
import io.deployflow.portainer.PortainerClient;
import io.deployflow.portainer.Timings;

import java.util.List;
import java.util.Map;

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
                colours(settings.colours(), context.environment()));
    }

    /** Credentials for Portainer are read here, from the variables the section names, before anything changes. */
    static ColourRuntime colours(ColourSettings colours, Map<String, String> environment) {
        if (colours.runtime().equals("portainer")) {
            PortainerTarget portainer = colours.portainer();
            return new PortainerColours(colours, new PortainerClient(portainer.url(),
                    Credentials.from(portainer, environment::get), Timings.defaults()));
        }
        return new ComposeColours(colours, environment);
    }
}
