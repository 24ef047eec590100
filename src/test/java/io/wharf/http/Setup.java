package io.wharf.http;

import io.wharf.auth.Htpasswd;
import io.wharf.config.AuthConfig;
import io.wharf.config.DriverSettings;
import io.wharf.config.RegistryConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * One cell of the HTTP suite's matrix: a storage driver and an authentication mode. With authentication on, one
 * user may do everything, and {@link TestRegistry} answers challenges as a client does (Basic credentials, or a
 * token from the built-in token server), so every HTTP test runs unchanged in every cell.
 */
public record Setup(Driver driver, Auth auth) {
    public enum Driver { FILESYSTEM, INMEMORY }

    public enum Auth { NONE, HTPASSWD, TOKEN }

    static final String USER = "tester";
    static final String PASSWORD = "tester-password";

    /** Every cell: {filesystem, inmemory} × {no auth, htpasswd, built-in token server}. */
    public static Stream<Setup> all() {
        return Stream.of(Driver.values()).flatMap(d -> Stream.of(Auth.values()).map(a -> new Setup(d, a)));
    }

    /** The configuration change for this cell, with its files (htpasswd, signing key) under {@code dir}. */
    UnaryOperator<RegistryConfig> configure(Path dir) throws IOException {
        UnaryOperator<RegistryConfig> storage = switch (driver) {
            case FILESYSTEM -> c -> c;
            case INMEMORY -> c -> TestRegistry.withStorage(c, s -> new RegistryConfig.Storage(
                    new DriverSettings.InMemory(), s.deleteEnabled(), s.readOnly(), s.uploadPurging(),
                    s.blobDescriptorCache(), s.redirectDisabled()));
        };
        if (auth == Auth.NONE) {
            return storage;
        }
        Files.createDirectories(dir);
        Path htpasswd = dir.resolve("htpasswd");
        Files.writeString(htpasswd, Htpasswd.line(USER, PASSWORD, 4) + "\n");
        var everything = new AuthConfig.Rule(List.of("**"), List.of(USER), List.of(USER), List.of(USER));
        var access = new AuthConfig.Access(Map.of("admins", List.of(USER)), "admins", List.of(), List.of(everything),
                AuthConfig.FailedLogins.defaults());
        AuthConfig config = auth == Auth.HTPASSWD
                ? new AuthConfig(Optional.of(new AuthConfig.Htpasswd("wharf-matrix", htpasswd)), Optional.empty(),
                        access, Optional.empty())
                : new AuthConfig(Optional.empty(), Optional.empty(), access, Optional.of(new AuthConfig.TokenServer(
                        htpasswd, dir.resolve("token.key"), "wharf", "wharf-matrix", Duration.ofMinutes(5),
                        Duration.ofDays(1))));
        return c -> storage.apply(c).withAuth(config);
    }

    /** Whether requests need credentials. */
    boolean authenticated() {
        return auth != Auth.NONE;
    }

    @Override
    public String toString() {
        return driver.name().toLowerCase() + ", " + (auth == Auth.NONE ? "no auth" : auth.name().toLowerCase());
    }
}
