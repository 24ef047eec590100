package io.wharf.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * A user name and password from an {@code Authorization: Basic} header.
 *
 * @param user the user name
 * @param password the password; never logged ({@link #toString()} hides it)
 */
public record BasicCredentials(String user, String password) {

    /** The credentials of a {@code Basic} header; empty when the header is absent, another scheme or malformed. */
    public static Optional<BasicCredentials> parse(String authorization) {
        if (!isBasic(authorization)) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(5).trim()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                return Optional.empty();
            }
            return Optional.of(new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Whether the header names the {@code Basic} scheme, well-formed or not. */
    public static boolean isBasic(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, "Basic", 0, 5)
                && (authorization.length() == 5 || authorization.charAt(5) == ' ');
    }

    @Override
    public String toString() {
        return "BasicCredentials[user=" + user + "]";
    }
}
