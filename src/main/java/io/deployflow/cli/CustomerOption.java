package io.deployflow.cli;

import io.deployflow.config.Customer;
import io.deployflow.config.DeployflowConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code --config FILE --customer NAME}, for the commands that work on one customer's stack or repository. The
 * customer is looked up in the config before anything else happens: a name it does not have is bad input (exit 2,
 * naming the config file, the known customers and the nearest one).
 */
final class CustomerOption {
    @Mixin
    ConfigOption config;

    @Option(names = "--customer", required = true, paramLabel = "NAME", description = "customer name in the config")
    String name;

    DeployflowConfig config() {
        return config.load();
    }

    Customer customer() {
        return config.load().customer(name);
    }
}
