package io.wharf.server;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code wharf serve|config check|garbage-collect|gc-now|scrub|delete-repository|backup|restore|sync|--version}. */
@Command(name = "wharf", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A self-hosted OCI container image registry, drop-in for CNCF Distribution.",
        subcommands = {ServeCommand.class, ConfigCommand.class, GarbageCollectCommand.class, GcNowCommand.class,
            ScrubCommand.class, DeleteRepositoryCommand.class, CopyCommands.Backup.class, CopyCommands.Restore.class,
            SyncCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(arguments(args)));
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
        spec.commandLine().usage(System.out);
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
