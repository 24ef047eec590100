package io.wharf.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An htpasswd file that is read again when it changes (checked on each use by its modification time, size and
 * identity: a stat, no watcher thread). Successful verifications are remembered for a few minutes under a keyed
 * hash, so a push of many layers costs one bcrypt check rather than one per request; the memory is cleared when
 * the file changes.
 */
public final class HtpasswdFile {
    private static final Logger LOG = LoggerFactory.getLogger(HtpasswdFile.class);
    /** Distribution's user for a provisioned file. */
    public static final String DEFAULT_USER = "docker";

    private final Path path;
    private final Cache<String, Boolean> verified = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(5)).build();
    private final byte[] cacheKey = new byte[32];
    private volatile Loaded current;

    private record Loaded(Htpasswd users, Object stamp) {
    }

    /**
     * Reads the file.
     *
     * @throws IllegalArgumentException naming the file and the line when it cannot be read or parsed
     */
    public HtpasswdFile(Path path) {
        this.path = Objects.requireNonNull(path);
        new SecureRandom().nextBytes(cacheKey);
        this.current = load();
    }

    /**
     * Creates the file with one user, {@value #DEFAULT_USER}, and a random password, as Distribution does when the
     * configured file is missing.
     *
     * @return the generated password, to be shown once; empty when the file exists
     * @throws UncheckedIOException when the file cannot be written
     */
    public static Optional<String> createIfMissing(Path path) {
        if (Files.exists(path)) {
            return Optional.empty();
        }
        byte[] secret = new byte[18];
        new SecureRandom().nextBytes(secret);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        try {
            Path parent = path.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Files.writeString(path, Htpasswd.line(DEFAULT_USER, password, 10) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            restrictToOwner(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create htpasswd file " + path + ": " + e.getMessage(), e);
        }
        return Optional.of(password);
    }

    private static void restrictToOwner(Path path) {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | UnsupportedOperationException ignored) {
            // Not a POSIX filesystem: the default permissions stay.
        }
    }

    /** Whether the password is the user's, reading the file again first when it changed. */
    public boolean verify(String user, String password) {
        Htpasswd users = users();
        String key = cacheKey(user, password);
        if (verified.getIfPresent(key) != null) {
            return true;
        }
        boolean ok = users.verify(user, password);
        if (ok) {
            verified.put(key, Boolean.TRUE);
        }
        return ok;
    }

    /** The users as the file now holds them; a file that became invalid keeps the last valid users, logged. */
    public Htpasswd users() {
        Loaded loaded = current;
        Object stamp = stamp();
        if (!Objects.equals(stamp, loaded.stamp())) {
            synchronized (this) {
                if (!Objects.equals(stamp, current.stamp())) {
                    try {
                        current = load();
                        verified.invalidateAll();
                        LOG.info("htpasswd file {} re-read: {} user(s)", path, current.users().size());
                    } catch (IllegalArgumentException e) {
                        LOG.error("htpasswd file changed but is not usable, keeping the previous users: {}",
                                e.getMessage());
                        current = new Loaded(current.users(), stamp);
                    }
                }
                loaded = current;
            }
        }
        return loaded.users();
    }

    private Loaded load() {
        if (Files.isDirectory(path)) {
            // Debian's docker-registry package ships a config naming its configuration directory here.
            throw new IllegalArgumentException("htpasswd file " + path + " is a directory; name the htpasswd file "
                    + "itself (made with htpasswd -Bc FILE USER)");
        }
        Object stamp = stamp();
        try {
            return new Loaded(Htpasswd.parse(Files.readString(path, StandardCharsets.UTF_8), path.toString()), stamp);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read htpasswd file " + path + ": " + e, e);
        }
    }

    private Object stamp() {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            return a.lastModifiedTime().toMillis() + "/" + a.size() + "/" + a.fileKey();
        } catch (IOException e) {
            return "missing";
        }
    }

    private String cacheKey(String user, String password) {
        return Base64.getEncoder().encodeToString(Hmac.sha256(cacheKey, user.getBytes(StandardCharsets.UTF_8),
                new byte[] {0}, password.getBytes(StandardCharsets.UTF_8)));
    }
}
