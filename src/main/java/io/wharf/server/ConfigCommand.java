package io.wharf.server;

import io.wharf.config.ConfigResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code wharf config check [CONFIG]}: reports every problem of a configuration at once. */
@Command(name = "config", description = "Work with configuration files.", mixinStandardHelpOptions = true,
        subcommands = ConfigCommand.Check.class)
final class ConfigCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Check a configuration (and REGISTRY_* overrides) and the files it names (TLS, htpasswd, "
                    + "token keys); exit 1 when invalid.")
    static final class Check implements Callable<Integer> {
        @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG",
                description = "config.yml (default: $REGISTRY_CONFIGURATION_PATH, else built-in defaults)")
        Path config;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            java.io.PrintWriter out = spec.commandLine().getOut();
            ConfigResult result = ConfigSource.load(config, System.getenv());
            result.warnings().forEach(w -> out.println("warning: " + w));
            List<String> errors = new ArrayList<>(result.errors());
            if (result.valid()) {
                errors.addAll(ConfigFiles.problems(result.config()));
            }
            errors.forEach(e -> out.println("error: " + e));
            if (!errors.isEmpty()) {
                out.println("configuration is invalid (" + errors.size() + " error"
                        + (errors.size() == 1 ? "" : "s") + ")");
                return 1;
            }
            out.println("configuration is valid");
            return 0;
        }
    }
}
