package io.wharf.server;

import io.wharf.config.ConfigResult;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code wharf config check [CONFIG]}: reports every problem of a configuration at once. */
@Command(name = "config", description = "Work with configuration files.", mixinStandardHelpOptions = true,
        subcommands = ConfigCommand.Check.class)
final class ConfigCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Check a configuration (and REGISTRY_* overrides); exit 1 when invalid.")
    static final class Check implements Callable<Integer> {
        @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG",
                description = "config.yml (default: $REGISTRY_CONFIGURATION_PATH, else built-in defaults)")
        Path config;

        @Override
        public Integer call() {
            ConfigResult result = ConfigSource.load(config, System.getenv());
            result.warnings().forEach(w -> System.out.println("warning: " + w));
            result.errors().forEach(e -> System.out.println("error: " + e));
            if (!result.valid()) {
                System.out.println("configuration is invalid (" + result.errors().size() + " error"
                        + (result.errors().size() == 1 ? "" : "s") + ")");
                return 1;
            }
            System.out.println("configuration is valid");
            return 0;
        }
    }
}
