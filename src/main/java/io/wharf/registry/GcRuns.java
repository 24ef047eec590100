package io.wharf.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.storage.PathNotFoundException;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every online collection of a server goes through here: scheduled ones, the admin API's and the UI's. It knows
 * which one is running, keeps the outcome of the last one in storage ({@code _wharf/gc/last.json}, so every instance
 * and a restarted one show it) and holds a one-off collection planned for later ({@code _wharf/gc/scheduled.json},
 * run by whichever instance looks first once it is due; the collection's own lease keeps it to one at a time).
 * After a real collection the storage usage is measured again, so what it freed shows at once.
 */
public final class GcRuns {
    private static final Logger LOG = LoggerFactory.getLogger(GcRuns.class);

    /**
     * A collection under way.
     *
     * @param startedAt when it started
     * @param startedBy who asked: a user name, {@code schedule} or {@code admin-api}
     * @param dryRun whether it only reports
     * @param deleteUntagged whether untagged manifests go too
     */
    public record Run(Instant startedAt, String startedBy, boolean dryRun, boolean deleteUntagged) {
    }

    /**
     * The outcome of the last collection on any instance.
     *
     * @param run what ran
     * @param finishedAt when it ended
     * @param summary the report's one-line summary, or the error
     * @param failed whether it failed
     * @param bytesFreed bytes freed (or freeable, for a dry run)
     * @param blobsDeleted blobs deleted
     * @param manifestsDeleted manifests deleted
     */
    public record Outcome(Run run, Instant finishedAt, String summary, boolean failed, long bytesFreed,
            int blobsDeleted, int manifestsDeleted) {
    }

    /**
     * A one-off collection planned for later.
     *
     * @param at when it is due
     * @param by who planned it
     * @param dryRun whether it only reports
     * @param deleteUntagged whether untagged manifests go too
     */
    public record Planned(Instant at, String by, boolean dryRun, boolean deleteUntagged) {
    }

    /** What the UI shows. */
    public record Status(Optional<Run> running, Optional<Outcome> last, Optional<Planned> planned) {
    }

    private final GarbageCollector gc;
    private final GcOptions defaults;
    private final Registry registry;
    private final StorageUsage usage;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicReference<Run> running = new AtomicReference<>();

    /**
     * @param defaults the server's collection settings (grace, retention, caches, untagged deletion)
     * @param usage measured again after every real collection
     */
    public GcRuns(GarbageCollector gc, GcOptions defaults, Registry registry, StorageUsage usage) {
        this.gc = gc;
        this.defaults = defaults;
        this.registry = registry;
        this.usage = usage;
    }

    /** The server's settings with the given dry-run and untagged choices. */
    public GcOptions options(boolean dryRun, boolean deleteUntagged) {
        return new GcOptions(dryRun, deleteUntagged, defaults.gracePeriod(), defaults.retention(), defaults.caches());
    }

    /** The server's own settings. */
    public GcOptions defaults() {
        return defaults;
    }

    /**
     * Runs one collection now and waits for it.
     *
     * @throws GarbageCollector.BusyException when one is running here or on another instance
     */
    public GcReport run(GcOptions options, String by) throws IOException {
        Run run = new Run(registry.clock().instant(), by, options.dryRun(), options.deleteUntagged());
        if (!running.compareAndSet(null, run)) {
            throw new GarbageCollector.BusyException();
        }
        try {
            GcReport report;
            try {
                report = gc.run(options);
            } catch (GarbageCollector.BusyException busy) {
                throw busy;
            } catch (IOException | RuntimeException e) {
                record(new Outcome(run, registry.clock().instant(), "failed: " + e.getMessage(), true, 0, 0, 0));
                throw e;
            }
            record(new Outcome(run, registry.clock().instant(), report.summary(), false, report.bytesFreed(),
                    report.blobsDeleted().size(), report.manifestsDeleted().size()));
            if (!options.dryRun()) {
                remeasure();
            }
            return report;
        } finally {
            running.set(null);
        }
    }

    /**
     * Starts one collection in the background.
     *
     * @throws GarbageCollector.BusyException when one is running in this process
     */
    public Run start(GcOptions options, String by) {
        if (running.get() != null) {
            throw new GarbageCollector.BusyException();
        }
        Thread.ofVirtual().name("gc-" + by).start(() -> {
            try {
                run(options, by);
            } catch (GarbageCollector.BusyException busy) {
                LOG.info("gc requested by {} not run: {}", by, busy.getMessage());
            } catch (IOException | RuntimeException e) {
                LOG.warn("gc requested by {} failed: {}", by, e.toString());
            }
        });
        return new Run(registry.clock().instant(), by, options.dryRun(), options.deleteUntagged());
    }

    /** What runs now, how the last collection ended, and what is planned. */
    public Status status() throws IOException {
        return new Status(Optional.ofNullable(running.get()), last(), planned());
    }

    /** Plans a one-off collection, replacing any planned one. Durable when it returns. */
    public void plan(Planned planned) throws IOException {
        registry.checkWritable();
        ObjectNode node = json.createObjectNode();
        node.put("at", planned.at().toString());
        node.put("by", planned.by());
        node.put("dryRun", planned.dryRun());
        node.put("deleteUntagged", planned.deleteUntagged());
        registry.driver().putContent(StorageLayout.gcPlanned(), json.writeValueAsBytes(node));
    }

    /** Drops the planned collection, if any. */
    public void cancelPlan() throws IOException {
        try {
            registry.driver().delete(StorageLayout.gcPlanned());
        } catch (PathNotFoundException none) {
            // Nothing was planned.
        }
    }

    /** Runs the planned collection when it is due; the schedule calls this. */
    public void runIfDue() throws IOException {
        Optional<Planned> due = planned().filter(p -> !p.at().isAfter(registry.clock().instant()));
        if (due.isEmpty() || running.get() != null) {
            return;
        }
        Planned p = due.get();
        try {
            run(options(p.dryRun(), p.deleteUntagged()), "planned by " + p.by());
        } catch (GarbageCollector.BusyException busy) {
            // Another instance took it (or a collection runs): looked at again next time.
            return;
        }
        // Only this plan: one planned again meanwhile stays.
        if (planned().filter(p::equals).isPresent()) {
            cancelPlan();
        }
    }

    private Optional<Planned> planned() throws IOException {
        return read(StorageLayout.gcPlanned()).map(n -> new Planned(Instant.parse(n.path("at").asText()),
                n.path("by").asText(""), n.path("dryRun").asBoolean(), n.path("deleteUntagged").asBoolean()));
    }

    private Optional<Outcome> last() throws IOException {
        return read(StorageLayout.gcLast()).map(n -> new Outcome(
                new Run(Instant.parse(n.path("startedAt").asText()), n.path("startedBy").asText(""),
                        n.path("dryRun").asBoolean(), n.path("deleteUntagged").asBoolean()),
                Instant.parse(n.path("finishedAt").asText()), n.path("summary").asText(""),
                n.path("failed").asBoolean(), n.path("bytesFreed").asLong(), n.path("blobsDeleted").asInt(),
                n.path("manifestsDeleted").asInt()));
    }

    /** A record another version or a crash left unreadable counts as absent, never as an error. */
    private Optional<JsonNode> read(String path) throws IOException {
        try {
            JsonNode n = json.readTree(registry.driver().getContent(path));
            return n != null && n.isObject() ? Optional.of(n) : Optional.empty();
        } catch (PathNotFoundException absent) {
            return Optional.empty();
        } catch (com.fasterxml.jackson.core.JacksonException | java.time.format.DateTimeParseException bad) {
            LOG.warn("ignoring unreadable {}: {}", path, bad.getMessage());
            return Optional.empty();
        }
    }

    private void record(Outcome o) {
        if (registry.options().readOnly()) {
            return;
        }
        ObjectNode node = json.createObjectNode();
        node.put("startedAt", o.run().startedAt().toString());
        node.put("startedBy", o.run().startedBy());
        node.put("dryRun", o.run().dryRun());
        node.put("deleteUntagged", o.run().deleteUntagged());
        node.put("finishedAt", o.finishedAt().toString());
        node.put("summary", o.summary());
        node.put("failed", o.failed());
        node.put("bytesFreed", o.bytesFreed());
        node.put("blobsDeleted", o.blobsDeleted());
        node.put("manifestsDeleted", o.manifestsDeleted());
        try {
            registry.driver().putContent(StorageLayout.gcLast(), json.writeValueAsBytes(node));
        } catch (IOException e) {
            LOG.warn("could not record the garbage collection's outcome: {}", e.toString());
        }
    }

    /** In the background: the collection's caller ({@code wharf gc-now}, the UI) has its report without waiting. */
    private void remeasure() {
        usage.refreshAfterChange();
    }
}
