package io.wharf.server;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Entry point: {@code wharf serve|config check|garbage-collect|gc-now|scrub|delete-repository|backup|restore|sync|--version}.
 *
 * <p>This command and {@code serve} are modelled through picocli's programmatic API, the other subcommands by
 * annotations. Reading annotations makes the JDK generate a proxy class for each annotation type (which its
 * ahead-of-time cache cannot keep), and that took about 150 ms of every server start.
 */
public final class Main implements Runnable {
    /** The subcommands in the order usage lists them, by name. */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();
    private static final String DESCRIPTION =
            "A self-hosted OCI container image registry, drop-in for CNCF Distribution.";

    private CommandSpec spec;

    public static void main(String[] args) {
        // Jetty sizes its padding from the JVM's reference width, which it asks the platform MBean server for
        // unless told: starting that server (every MXBean registered) was a tenth of the start-up. 16 references
        // per 64-byte line assumes compressed references (heaps under 32 GiB); with wider ones Jetty only pads more.
        if (System.getProperty("org.eclipse.jetty.util.referencesPerCacheLine") == null) {
            System.setProperty("org.eclipse.jetty.util.referencesPerCacheLine", "16");
        }
        String[] arguments = arguments(args);
        if (arguments.length > 0 && arguments[0].equals("serve")) {
            ServePreload.start();
        }
        System.exit(commandLine(arguments).execute(arguments));
    }

    /**
     * The command line for {@code args}: when they name a subcommand, only that one is modelled, since picocli's
     * reflection over all of them cost about a third of the server's start-up; otherwise (usage, help, a typo) all
     * are, so usage lists them and picocli suggests the nearest name.
     */
    public static CommandLine commandLine(String[] args) {
        Main main = new Main();
        main.spec = CommandSpec.wrapWithoutInspection(main).name("wharf");
        main.spec.usageMessage().description(DESCRIPTION);
        addStandardOptions(main.spec);
        CommandLine cl = new CommandLine(main.spec);
        Supplier<Object> named = args.length > 0 ? SUBCOMMANDS.get(args[0]) : null;
        if (named != null) {
            cl.addSubcommand(args[0], named.get());
        } else {
            SUBCOMMANDS.forEach((name, command) -> cl.addSubcommand(name, command.get()));
        }
        // Annotated subcommands mix in -V but know no version of their own.
        cl.getSubcommands().values().forEach(sub -> sub.getCommandSpec().versionProvider(new Version()));
        return cl;
    }

    /**
     * Adds {@code -h/--help} and {@code -V/--version} to a command modelled without annotations, as picocli's
     * {@code mixinStandardHelpOptions} does for annotated ones (which it models from annotations too).
     */
    static void addStandardOptions(CommandSpec command) {
        command.versionProvider(new Version());
        command.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                .description("Show this help message and exit.").build());
        command.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
                .description("Print version information and exit.").build());
    }

    private static Map<String, Supplier<Object>> subcommands() {
        Map<String, Supplier<Object>> all = new LinkedHashMap<>();
        all.put("serve", ServeCommand::spec);
        all.put("config", ConfigCommand::new);
        all.put("garbage-collect", GarbageCollectCommand::new);
        all.put("gc-now", GcNowCommand::new);
        all.put("scrub", ScrubCommand::new);
        all.put("delete-repository", DeleteRepositoryCommand::new);
        all.put("backup", CopyCommands.Backup::new);
        all.put("restore", CopyCommands.Restore::new);
        all.put("sync", SyncCommand::new);
        return Collections.unmodifiableMap(all);
    }

    /**
     * registry:2's entrypoint convention, so images and scripts written for it work: a first argument naming a
     * {@code .yml}/{@code .yaml} file means {@code serve} that file.
     */
    static String[] arguments(String[] args) {
        if (args.length > 0 && (args[0].endsWith(".yml") || args[0].endsWith(".yaml"))) {
            String[] serve = new String[args.length + 1];
            serve[0] = "serve";
            System.arraycopy(args, 0, serve, 1, args.length);
            return serve;
        }
        return args;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The version from the jar manifest, or {@code dev} when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"wharf " + (v == null ? "dev" : v)};
        }
    }
}
