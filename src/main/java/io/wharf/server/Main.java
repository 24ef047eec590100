package io.wharf.server;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code wharf serve|config check|garbage-collect|gc-now|scrub|delete-repository|--version}. */
@Command(name = "wharf", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A self-hosted OCI container image registry, drop-in for CNCF Distribution.",
        subcommands = {ServeCommand.class, ConfigCommand.class, GarbageCollectCommand.class, GcNowCommand.class,
            ScrubCommand.class, DeleteRepositoryCommand.class, CopyCommands.Backup.class, CopyCommands.Restore.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
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
