package io.wharf.server;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This machine's name, as {@code hostname} prints it, for lease owners, event sources and instance names.
 *
 * <p>Read from the kernel on Linux. {@link InetAddress#getLocalHost()} is only the fallback: it also resolves the
 * name to an address, which costs a lookup on every start and stalls for the resolver's timeout in a container
 * whose DNS does not know its own name. Never fails: {@code localhost} when nothing answers.
 */
final class HostName {
    private static final Path KERNEL = Path.of("/proc/sys/kernel/hostname");

    private HostName() {}

    /** The name, looked up once per process (it is read before anything could rename the machine). */
    static String get() {
        return Holder.NAME;
    }

    private static final class Holder {
        static final String NAME = lookup();
    }

    private static String lookup() {
        try {
            String name = Files.readString(KERNEL, StandardCharsets.US_ASCII).strip();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or /proc not mounted: ask the resolver instead.
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
