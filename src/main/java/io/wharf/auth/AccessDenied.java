package io.wharf.auth;

import io.wharf.spec.ErrorCode;
import io.wharf.spec.RegistryException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A refused request: {@code UNAUTHORIZED} (401) with the challenge for {@code WWW-Authenticate}, {@code DENIED}
 * (403) or {@code TOOMANYREQUESTS} (429). Its detail lists the refused access records as Distribution does; its
 * reason is for the log only and never contains a credential.
 */
public final class AccessDenied extends RegistryException {
    private final transient Optional<String> challenge;
    private final transient Principal principal;
    private final String reason;
    private final transient List<Scope> scopes;
    private final long retryAfterSeconds;

    private AccessDenied(ErrorCode code, Optional<String> challenge, Principal principal, List<Scope> scopes,
            String reason, long retryAfterSeconds) {
        super(reason, code, records(scopes));
        this.challenge = challenge;
        this.principal = principal;
        this.scopes = List.copyOf(scopes);
        this.reason = reason;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 401 with a challenge. */
    public static AccessDenied unauthorized(String challenge, Principal principal, List<Scope> scopes, String reason) {
        return new AccessDenied(ErrorCode.UNAUTHORIZED, Optional.of(challenge), principal, scopes, reason, 0);
    }

    /**
     * 401 without a challenge: for the web UI's API, where a challenge would open the browser's own password
     * window instead of the UI's login form.
     */
    public static AccessDenied loginRequired(Principal principal, String reason) {
        return new AccessDenied(ErrorCode.UNAUTHORIZED, Optional.empty(), principal, List.of(), reason, 0);
    }

    /** 403: the caller is known and lacks the permission. */
    public static AccessDenied denied(Principal principal, List<Scope> scopes, String reason) {
        return new AccessDenied(ErrorCode.DENIED, Optional.empty(), principal, scopes, reason, 0);
    }

    /** 429: too many failed logins from this address. */
    public static AccessDenied throttled(Principal principal, List<Scope> scopes, long retryAfterSeconds) {
        return new AccessDenied(ErrorCode.TOOMANYREQUESTS, Optional.empty(), principal, scopes,
                "too many failed logins from this address", Math.max(1, retryAfterSeconds));
    }

    /** The {@code WWW-Authenticate} value, for 401. */
    public Optional<String> challenge() {
        return challenge;
    }

    /** Seconds for {@code Retry-After}, or 0. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public Principal principal() {
        return principal;
    }

    /** Why, for the log: never a password or token. */
    public String reason() {
        return reason;
    }

    public List<Scope> scopes() {
        return scopes;
    }

    /** One access record per refused action, shaped like Distribution's. */
    public record AccessRecord(String Type, String Class, String Name, String Action) {
    }

    private static List<AccessRecord> records(List<Scope> scopes) {
        var records = new ArrayList<AccessRecord>();
        for (Scope s : scopes) {
            s.actions().forEach(a -> records.add(new AccessRecord(s.type(), "", s.name(), a)));
        }
        return records.isEmpty() ? null : records;
    }
}
