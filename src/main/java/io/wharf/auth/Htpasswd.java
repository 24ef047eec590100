package io.wharf.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The users of an htpasswd file, bcrypt only ({@code htpasswd -B} writes {@code $2y$}; {@code $2a$} and
 * {@code $2b$} are accepted too). Blank lines and lines starting with {@code #} are skipped, as Distribution does.
 */
public final class Htpasswd {
    /** The most of a password bcrypt reads. */
    static final int BCRYPT_MAX_PASSWORD_BYTES = 72;
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}");

    private final Map<String, byte[]> hashes;

    private Htpasswd(Map<String, byte[]> hashes) {
        this.hashes = hashes;
    }

    /**
     * Parses the file's text.
     *
     * @param source names the file in messages
     * @throws IllegalArgumentException naming the first line that is not {@code user:bcrypt-hash}; the message
     *     never contains the hash
     */
    public static Htpasswd parse(String text, String source) {
        var hashes = new LinkedHashMap<String, byte[]>();
        String[] lines = text.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            String where = source + " line " + (i + 1);
            if (colon <= 0) {
                throw new IllegalArgumentException(where + ": expected user:hash");
            }
            String user = line.substring(0, colon);
            String hash = line.substring(colon + 1);
            if (!BCRYPT.matcher(hash).matches()) {
                throw new IllegalArgumentException(where + " (user " + user + "): only bcrypt hashes are supported "
                        + "(create them with htpasswd -B); found " + describe(hash));
            }
            hashes.put(user, hash.getBytes(StandardCharsets.US_ASCII));
        }
        return new Htpasswd(Map.copyOf(hashes));
    }

    /** Names a hash format without revealing the hash. */
    private static String describe(String hash) {
        if (hash.startsWith("$apr1$")) {
            return "an MD5 (apr1) hash";
        }
        if (hash.startsWith("{SHA}")) {
            return "a SHA-1 hash";
        }
        if (hash.startsWith("$5$") || hash.startsWith("$6$")) {
            return "a SHA-crypt hash";
        }
        if (hash.startsWith("$2")) {
            return "a malformed bcrypt hash";
        }
        return "a crypt or plain-text entry";
    }

    /**
     * Whether the password is the user's; takes a bcrypt verification's time whether or not the user exists. bcrypt
     * reads at most 72 bytes of a password: {@code htpasswd -B} hashes a longer one cut there, and Distribution's
     * check cuts it there too, so this does the same instead of refusing the password.
     */
    public boolean verify(String user, String password) {
        byte[] hash = hashes.get(user);
        byte[] given = password.getBytes(StandardCharsets.UTF_8);
        byte[] pw = given.length > BCRYPT_MAX_PASSWORD_BYTES
                ? java.util.Arrays.copyOf(given, BCRYPT_MAX_PASSWORD_BYTES) : given;
        if (hash == null) {
            // Check against some user's hash anyway, so the time taken does not reveal who exists.
            hashes.values().stream().findFirst().ifPresent(h -> BCrypt.verifyer().verify(pw, h));
            return false;
        }
        return BCrypt.verifyer().verify(pw, hash).verified;
    }

    public boolean contains(String user) {
        return hashes.containsKey(user);
    }

    public int size() {
        return hashes.size();
    }

    /** One {@code user:hash} line as {@code htpasswd -B} writes it. */
    public static String line(String user, String password, int cost) {
        String hash = BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(cost, password.toCharArray());
        return user + ":" + hash;
    }
}
