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

    /** The name now (a small file read on Linux; nothing is cached, so a renamed machine is seen). */
    static String get() {
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
