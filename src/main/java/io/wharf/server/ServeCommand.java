package io.wharf.server;

import io.wharf.config.ConfigResult;
import io.wharf.config.RegistryConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * {@code wharf serve [CONFIG]}: runs the registry until stopped. Modelled without annotations, see {@link Main}.
 */
final class ServeCommand implements Callable<Integer> {
    private final PositionalParamSpec config = PositionalParamSpec.builder().index("0").arity("0..1")
            .paramLabel("CONFIG").type(Path.class)
            .description("Distribution config.yml (default: $REGISTRY_CONFIGURATION_PATH, else built-in defaults)")
            .build();

    private ServeCommand() {
    }

    /** The command's model, bound to a new command. */
    static CommandSpec spec() {
        ServeCommand command = new ServeCommand();
        CommandSpec spec = CommandSpec.wrapWithoutInspection(command).name("serve");
        spec.usageMessage().description("Run the registry (default: http://localhost:5000, data under ./data).");
        spec.addPositional(command.config);
        Main.addStandardOptions(spec);
        return spec;
    }

    @Override
    public Integer call() throws Exception {
        ConfigResult result = ConfigSource.load(config.getValue(), System.getenv());
        if (!result.valid()) {
            result.errors().forEach(e -> System.err.println("error: " + e));
            System.err.println("wharf: not started: the configuration is invalid");
            return 1;
        }
        RegistryConfig cfg = result.config();
        Logging.configure(cfg.log());
        Logger log = LoggerFactory.getLogger(ServeCommand.class);
        result.warnings().forEach(w -> log.warn("configuration: {}", w));
        WharfServer server;
        try {
            server = WharfServer.start(cfg);
        } catch (StorageClaimRefused | IllegalArgumentException | java.io.UncheckedIOException e) {
            // A certificate, key or htpasswd file that cannot be used (the message names the file), or storage this
            // server may not take now (the message says why and what to do).
            System.err.println("error: " + e.getMessage());
            System.err.println("wharf: not started");
            return 1;
        } catch (java.io.IOException e) {
            // Typically the port: in use, or privileged. Jetty wraps the socket's own reason.
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            System.err.println("error: cannot listen on " + cfg.http().addr() + ": " + cause.getMessage());
            System.err.println("wharf: not started");
            return 1;
        }
        GracefulShutdown shutdown = new GracefulShutdown(server, log);
        shutdown.install();
        long startedMs = ProcessHandle.current().info().startInstant()
                .map(t -> java.time.Duration.between(t, java.time.Instant.now()).toMillis()).orElse(-1L);
        log.info("listening on {} (storage: {} {}; started in {} ms)", cfg.http().addr(), cfg.storage().driver().name(),
                cfg.storage().driver().location(),
                startedMs);
        server.join();
        // Joined because a signal stopped the server: wait until the stop (drain, maintenance) is complete.
        shutdown.stop();
        log.info("stopped");
        return 0;
    }
}
