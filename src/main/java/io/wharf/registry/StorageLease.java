package io.wharf.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.storage.PathNotFoundException;
import io.wharf.storage.StorageDriver;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Cross-process coordination through the storage itself, since the driver interface has no locks:
 * every writable server keeps a lease ({@link StorageLayout#lease}) fresh while it runs, and an
 * offline garbage collection holds {@link StorageLayout#gcLock}. Each side writes its own record
 * first and then looks for the other's, so with storage that shows a write to the next reader (the
 * filesystem, S3 since 2020) at least one of two racing parties sees the other and backs off.
 * A record whose expiry has passed belongs to a crashed process and is ignored.
 */
public final class StorageLease {
    /**
     * One lease record.
     *
     * @param owner who holds it, e.g. {@code wharf serve pid 1234 on host}
     * @param url where the holder answers admin requests, or empty
     * @param expiresAt epoch milliseconds after which the record is stale
     * @param server which server process holds it; {@code null} for a lock, or in a record of an older Wharf
     */
    public record Record(String owner, String url, long expiresAt, Server server) {
        /** True when the record has not expired at {@code now}. */
        public boolean liveAt(Instant now) {
            return expiresAt > now.toEpochMilli();
        }
    }

    /**
     * A server process as its lease names it.
     *
     * @param host the machine's name
     * @param pid the process id on that machine
     * @param startedAt when the process started, epoch milliseconds (0 when the system does not say)
     * @param secretId a fingerprint of its {@code http.secret} (never the secret), empty when it has none
     */
    public record Server(String host, long pid, long startedAt, String secretId) {
        /**
         * True when this record can only be an earlier process that ended without giving its lease up (killed, or
         * the machine restarted): on {@code self}'s machine, and its process is gone, or has {@code self}'s pid but
         * another start (a container restarted under the same name, where the server is always pid 1).
         */
        public boolean isFormerSelf(Server self, java.util.function.LongPredicate alive) {
            return host.equals(self.host) && (pid == self.pid ? startedAt != self.startedAt : !alive.test(pid));
        }
    }

    private final StorageDriver driver;
    private final ObjectMapper json;
    private final Clock clock;

    public StorageLease(StorageDriver driver, ObjectMapper json, Clock clock) {
        this.driver = driver;
        this.json = json;
        this.clock = clock;
    }

    /** Writes or refreshes a server's lease. Durable when it returns. */
    public void holdServer(String serverId, String owner, String url, Duration ttl, Server server)
            throws IOException {
        write(StorageLayout.lease(serverId), new Record(owner, url, clock.instant().plus(ttl).toEpochMilli(),
                server));
    }

    /** Removes a server's lease (at shutdown). */
    public void releaseServer(String serverId) throws IOException {
        deleteIfPresent(StorageLayout.lease(serverId));
    }

    /** The live leases of running servers other than {@code exceptServerId} (which may be null). */
    public List<Record> liveServers(String exceptServerId) throws IOException {
        List<Record> out = new ArrayList<>();
        List<String> paths;
        try {
            paths = driver.list(StorageLayout.LEASES);
        } catch (PathNotFoundException e) {
            return out;
        }
        for (String path : paths) {
            if (exceptServerId != null && path.equals(StorageLayout.lease(exceptServerId))) {
                continue;
            }
            read(path).filter(r -> r.liveAt(clock.instant())).ifPresent(out::add);
        }
        return out;
    }

    /** Writes or refreshes the offline collection's lock. Durable when it returns. */
    public void holdGcLock(String owner, Duration ttl) throws IOException {
        write(StorageLayout.gcLock(), new Record(owner, "", clock.instant().plus(ttl).toEpochMilli(), null));
    }

    /** The offline collection's lock when it is live. */
    public Optional<Record> liveGcLock() throws IOException {
        return read(StorageLayout.gcLock()).filter(r -> r.liveAt(clock.instant()));
    }

    public void releaseGcLock() throws IOException {
        deleteIfPresent(StorageLayout.gcLock());
    }

    /** Writes or refreshes the lease of a backup or restore copying this storage. Durable when it returns. */
    public void holdCopy(String owner, Duration ttl) throws IOException {
        write(StorageLayout.copyLock(), new Record(owner, "", clock.instant().plus(ttl).toEpochMilli(), null));
    }

    /** The lease of a backup or restore copying this storage, when it is live. */
    public Optional<Record> liveCopy() throws IOException {
        return read(StorageLayout.copyLock()).filter(r -> r.liveAt(clock.instant()));
    }

    public void releaseCopy() throws IOException {
        deleteIfPresent(StorageLayout.copyLock());
    }

    private void write(String path, Record record) throws IOException {
        driver.putContent(path, json.writeValueAsBytes(tree(record)));
    }

    /*
     * The records go through Jackson's tree model rather than its data binding: binding introspects the record
     * classes and their annotations the first time, which a server does while it starts (BENCHMARKS.md,
     * "Start-up"). Fields are read the way binding read them: unknown ones ignored, missing ones null or 0.
     */
    private ObjectNode tree(Record record) {
        ObjectNode node = json.createObjectNode().put("owner", record.owner()).put("url", record.url())
                .put("expiresAt", record.expiresAt());
        Server server = record.server();
        if (server == null) {
            return node.putNull("server");
        }
        node.putObject("server").put("host", server.host()).put("pid", server.pid())
                .put("startedAt", server.startedAt()).put("secretId", server.secretId());
        return node;
    }

    private static Record record(JsonNode node) {
        JsonNode s = node.path("server");
        Server server = s.isObject()
                ? new Server(text(s, "host"), s.path("pid").asLong(), s.path("startedAt").asLong(), text(s, "secretId"))
                : null;
        return new Record(text(node, "owner"), text(node, "url"), node.path("expiresAt").asLong(), server);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private Optional<Record> read(String path) throws IOException {
        try {
            return Optional.of(record(json.readTree(driver.getContent(path))));
        } catch (PathNotFoundException e) {
            return Optional.empty();
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            // A torn or foreign file: treat as absent rather than block forever.
            return Optional.empty();
        }
    }

    private void deleteIfPresent(String path) throws IOException {
        try {
            driver.delete(path);
        } catch (PathNotFoundException e) {
            // Already gone.
        }
    }
}
