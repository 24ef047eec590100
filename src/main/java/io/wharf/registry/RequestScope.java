package io.wharf.registry;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Who asked for the operation a role is running, for the parts that report it (webhook events): set by the HTTP
 * layer around each request, read by decorators, without the domain depending on HTTP. One instance is shared by
 * the server and the parts it assembles; nothing here is static. Each request runs on its own thread, so the value
 * is the current thread's.
 */
public final class RequestScope {
    /**
     * What is known of a request.
     *
     * @param id the request id, as in {@code X-Request-Id}
     * @param addr the client's address and port (after trusted proxies)
     * @param host the {@code Host} the client addressed
     * @param user the authenticated user name, empty when anonymous
     * @param baseUrl {@code scheme://host[:port]} as the client addressed the server, for URLs in events
     */
    public record Info(String id, String addr, String host, String method, String userAgent, String user,
            String baseUrl) {
        public static final Info NONE = new Info("", "", "", "", "", "", "");
    }

    private final ThreadLocal<Once> current = new ThreadLocal<>();

    /**
     * Sets the current request until {@link #clear()}. What is known of it is worked out on the first {@link #current}
     * and kept: most requests report nothing, and building an {@link Info}'s strings for each was among the larger
     * allocations of a manifest {@code GET}.
     */
    public void enter(Supplier<Info> info) {
        current.set(new Once(info));
    }

    public void clear() {
        current.remove();
    }

    /** The current request, if the operation runs for one. */
    public Optional<Info> current() {
        Once info = current.get();
        return info == null ? Optional.empty() : Optional.of(info.get());
    }

    /** A request's {@link Info}, made once; used by the request's own thread only. */
    private static final class Once {
        private Supplier<Info> source;
        private Info made;

        Once(Supplier<Info> source) {
            this.source = source;
        }

        Info get() {
            if (made == null) {
                made = source.get();
                source = null;
            }
            return made;
        }
    }
}
