package io.wharf.mirror;

import io.wharf.spec.RepositoryName;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * One registry Wharf mirrors, and which local repositories stand for it.
 *
 * @param name a short name for logs and meters (the prefix, or the remote's host)
 * @param prefix the local repository prefix without a trailing slash ({@code dockerhub}); empty when every
 *     repository is mirrored (Distribution's single {@code proxy.remoteurl})
 * @param remote the upstream's base URL ({@code https://registry-1.docker.io})
 * @param username empty for anonymous pulls
 * @param contentTtl how long fetched content is kept after its last pull; zero keeps it until evicted
 * @param tagTtl how long a tag's upstream digest is trusted before the upstream is asked again
 * @param namespace the registry host containerd names in {@code ?ns=} for this upstream ({@code docker.io})
 */
public record Upstream(String name, String prefix, URI remote, String username, String password,
        Duration contentTtl, Duration tagTtl, String namespace) {

    public Upstream {
        if (namespace == null || namespace.isEmpty()) {
            namespace = defaultNamespace(remote);
        }
    }

    @Override
    public String toString() {
        // Never the password.
        return name + " (" + remote + ")";
    }

    /** Whether the local repository is this upstream's. */
    public boolean mirrors(RepositoryName repo) {
        return prefix.isEmpty() || repo.value().startsWith(prefix + "/");
    }

    /** Docker Hub keeps official images under {@code library/}. */
    boolean dockerHub() {
        String host = remote.getHost() == null ? "" : remote.getHost().toLowerCase(Locale.ROOT);
        return host.equals("registry-1.docker.io") || host.equals("docker.io") || host.equals("index.docker.io");
    }

    /** The repository's name at the upstream: without the prefix, and under {@code library/} on Docker Hub. */
    String remoteName(RepositoryName repo) {
        String name = prefix.isEmpty() ? repo.value() : repo.value().substring(prefix.length() + 1);
        return dockerHub() && !name.contains("/") ? "library/" + name : name;
    }

    /** containerd's name for a remote: Docker Hub is {@code docker.io}, others their host[:port]. */
    static String defaultNamespace(URI remote) {
        String host = remote.getHost() == null ? "" : remote.getHost().toLowerCase(Locale.ROOT);
        if (host.equals("registry-1.docker.io") || host.equals("index.docker.io")) {
            return "docker.io";
        }
        return remote.getPort() > 0 ? host + ":" + remote.getPort() : host;
    }
}
