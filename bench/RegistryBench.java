import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Load generator for OCI distribution registries; JDK only. A small blocking HTTP/1.1 client over
 * {@link SocketChannel} keeps the client's CPU cost low (the server shares the machine with it).
 *
 * <p>Each measuring command takes targets as {@code name=url} and alternates between them rep by rep
 * (the order flips on odd reps), appending {@code row, target, rep, metric, value} lines to {@code --out}.
 * {@code report} turns such a file into a markdown table of medians. Run {@code java RegistryBench.java help}.
 */
public final class RegistryBench {
    static final long MIB = 1024 * 1024;
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0 || argv[0].equals("help")) {
            usage(System.out);
            return;
        }
        Args a = Args.parse(argv);
        switch (argv[0]) {
            case "ensure-big" -> System.out.println(ensureBig(a));
            case "small-push" -> smallPush(a);
            case "push-big" -> pushBig(a);
            case "pull" -> pull(a);
            case "push-image" -> pushImage(a);
            case "image-pull" -> imagePull(a);
            case "setup-repos" -> setupRepos(a);
            case "catalog" -> catalog(a);
            case "rps" -> rps(a);
            case "sha256" -> sha256(a);
            case "report" -> Report.write(a);
            default -> {
                usage(System.err);
                System.exit(2);
            }
        }
    }

    static void usage(PrintStream out) {
        out.println("""
                usage: java RegistryBench.java <command> [--option value]... [name=url]...
                  ensure-big  --file F name=url...       push F as a blob into bench/big unless present; print its digest
                  small-push  --clients 16 --seconds 8 --warmup 1 --size 4096 --repos shared|per-client [--plain-put name]... --reps 5 --out T name=url...
                  push-big    --mode chunked|mono --file F --chunk 8388608 [--disk DIR] --reps 5 --out T name=url...
                              --disk DIR: each rep also writes the same bytes into DIR with one fsync (row disk_seq,
                              target baseline), alternating with the servers: what the disk takes, in the same run
                  pull        --clients 16 --size BYTES [--digest D] [--row pull] --reps 5 --out T name=blob-url...
                              with --digest every client's bytes are hashed as they arrive and checked
                  push-image  --file F --offset 0 --layers 5 --layer-size BYTES --repo R --tag T name=url...
                              config + layers cut from F (one after another from --offset) + OCI manifest;
                              prints the manifest digest, then every blob as digest:size, one a line
                  image-pull  --row R --repo R --tag T --parallel 3 --reps 5 --out T name=url...
                              manifest by tag, then its blobs over --parallel connections, each hashed as it
                              arrives; time to the last byte
                image-pull and pull --digest also take --stored-dir DIR [--stored-timeout 120]: after the last byte,
                wait until every blob is in DIR (Distribution's filesystem layout) and record how long that took.
                  setup-repos --count 2000 --tags 50 [--tags-per-repo 1] --clients 16 name=url...
                              --tags into bench/tags; every other repository gets latest and v001.. up to the count
                  catalog     --n 100 --walks 5 --min-repos 2000 --reps 5 --out T name=url...
                  rps         --row NAME --method GET|HEAD --clients 64 --seconds 8 --warmup 1 [--header K:V]...
                              --reps 5 --out T name=url...   keep-alive request rate and p50/p99 latency
                Measuring commands also take --pid name=pid to record that server's CPU use, --upstream-pid P for
                a mirror's upstream, and --rep K to run only rep K (the caller alternates the targets).
                  sha256      --bytes 1073741824 --out T
                  report      --in T --md OUT.md [--meta key=value]...
                Targets are alternated rep by rep; results are appended to T as tab-separated
                row, target, rep, metric, value.""");
    }

    // ---------------------------------------------------------------- commands

    /** Pushes the file itself (no unique tail) into bench/big on each target if absent; prints the digest. */
    static String ensureBig(Args a) throws Exception {
        BigBlob big = new BigBlob(Path.of(a.get("file")));
        byte[] tail = big.fileTail();
        String digest = big.digest(tail);
        for (Target t : a.targets()) {
            try (Conn c = new Conn(t.uri())) {
                Response head = c.exchange("HEAD", t.path("/v2/bench/big/blobs/" + digest), Map.of(), null, false);
                if (head.status == 200) {
                    continue;
                }
                Response post = c.expect(202, "POST", t.path("/v2/bench/big/blobs/uploads/"), Map.of(), Body.EMPTY);
                String put = withDigest(post.location(), digest);
                c.expect(201, "PUT", put, Map.of("Content-Type", "application/octet-stream"), big.body(0, big.size, tail));
            }
        }
        return digest;
    }

    /** Row (a): many small monolithic pushes (POST then PUT with the body) from concurrent clients. */
    static void smallPush(Args a) throws Exception {
        int clients = a.getInt("clients", 16);
        double seconds = a.getDouble("seconds", 8);
        double warmup = a.getDouble("warmup", 1);
        int size = a.getInt("size", 4096);
        boolean perClient = a.getOr("repos", "shared").equals("per-client");
        List<String> plain = a.all("plain-put");
        Results out = a.results();
        forEachRep(a, "small_push", (t, rep) -> {
            boolean put = plain.contains(t.name);
            runSmallPushes(t, clients, warmup, size, perClient, put);
            long[] done = runSmallPushes(t, clients, seconds, size, perClient, put);
            double opsPerSec = done[0] / (done[1] / 1e9);
            out.add("small_push", t.name, rep, "ops_per_s", opsPerSec);
            System.err.printf(Locale.ROOT, "small_push %s rep %d: %.0f ops/s (%d ops)%n", t.name, rep, opsPerSec, done[0]);
        });
    }

    /**
     * Returns {completed pushes, elapsed nanos}. Each client stops at the deadline or after 1e6 pushes. With
     * {@code perClient} each client pushes into its own repository ({@code bench/small-N}), otherwise all share one.
     * With {@code plainPut} (a reference such as nginx with WebDAV, not a registry) each push is one
     * {@code PUT /small/N/<digest>} with the body, expecting 201.
     */
    static long[] runSmallPushes(Target t, int clients, double seconds, int size, boolean perClient,
            boolean plainPut) throws Exception {
        AtomicLong ops = new AtomicLong();
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        runClients(clients, i -> {
            byte[] blob = new byte[size];
            MessageDigest sha = sha256();
            try (Conn c = new Conn(t.uri())) {
                for (int n = 0; n < 1_000_000 && System.nanoTime() < deadline; n++) {
                    ThreadLocalRandom.current().nextBytes(blob);
                    String digest = "sha256:" + HexFormat.of().formatHex(sha.digest(blob));
                    if (plainPut) {
                        c.expect(201, "PUT", t.path("/small/" + i + "/" + digest.substring(7)),
                                Map.of("Content-Type", "application/octet-stream"), new BytesBody(blob));
                        ops.incrementAndGet();
                        continue;
                    }
                    String repo = perClient ? "bench/small-" + i : "bench/small";
                    Response post = c.expect(202, "POST", t.path("/v2/" + repo + "/blobs/uploads/"), Map.of(), Body.EMPTY);
                    c.expect(201, "PUT", withDigest(post.location(), digest),
                            Map.of("Content-Type", "application/octet-stream"), new BytesBody(blob));
                    ops.incrementAndGet();
                }
            }
        });
        return new long[] {ops.get(), System.nanoTime() - start};
    }

    /** Row (b): a large blob, chunked (POST, PATCH x n, PUT ?digest) or monolithic (POST, PUT with body). */
    static void pushBig(Args a) throws Exception {
        BigBlob big = new BigBlob(Path.of(a.get("file")));
        String mode = a.get("mode");
        long chunk = a.getLong("chunk", 8 * MIB);
        Results out = a.results();
        Args withDisk = a;
        if (a.options().containsKey("disk")) {
            List<Target> targets = new ArrayList<>(a.targets());
            // In the middle, so that it always follows a push as the servers do: this VM's disk writes 1 GiB about
            // three times faster right after another such write than after a push (measured 2026-12-06).
            targets.add(Math.min(1, targets.size()), new Target(DISK, Path.of(a.get("disk")).toUri()));
            withDisk = new Args(a.options(), targets);
        }
        forEachRep(withDisk, "push_" + mode, (t, rep) -> {
            // A fresh tail per push makes every push a new blob, so no server can skip the write.
            byte[] tail = new byte[BigBlob.TAIL];
            ThreadLocalRandom.current().nextBytes(tail);
            String digest = big.digest(tail);
            sync();
            if (t.name.equals(DISK)) {
                // A new file per rep, kept until the row ends, as a registry keeps each pushed blob: on this VM,
                // writing into pages the page cache has just freed costs a tenth of writing into pages it never
                // had (docs/BENCHMARKS.md, "1 GiB pushes: the baseline, ..."), so a rewritten file would flatter
                // the disk.
                double mibps = big.writeWithFsync(Path.of(t.uri()).resolve("disk-seq-" + rep + ".bin"), tail);
                out.add("disk_seq", "baseline", rep, "mib_per_s", mibps);
                System.err.printf(Locale.ROOT, "disk_seq rep %d: %.1f MiB/s (1 MiB writes, one fsync)%n", rep, mibps);
                return;
            }
            long start = System.nanoTime();
            int requests;
            try (Conn c = new Conn(t.uri())) {
                Response post = c.expect(202, "POST", t.path("/v2/bench/push/blobs/uploads/"), Map.of(), Body.EMPTY);
                String location = post.location();
                requests = 1;
                if (mode.equals("chunked")) {
                    for (long off = 0; off < big.size; off += chunk) {
                        long len = Math.min(chunk, big.size - off);
                        Response patch = c.expect(202, "PATCH", location, Map.of(
                                "Content-Type", "application/octet-stream",
                                "Content-Range", off + "-" + (off + len - 1)), big.body(off, len, tail));
                        location = patch.location();
                        requests++;
                    }
                    c.expect(201, "PUT", withDigest(location, digest), Map.of(), Body.EMPTY);
                } else if (mode.equals("mono")) {
                    c.expect(201, "PUT", withDigest(location, digest),
                            Map.of("Content-Type", "application/octet-stream"), big.body(0, big.size, tail));
                } else {
                    throw new IllegalArgumentException("--mode must be chunked or mono");
                }
                requests++;
            }
            double secs = (System.nanoTime() - start) / 1e9;
            double mibps = big.size / (double) MIB / secs;
            out.add("push_" + mode, t.name, rep, "mib_per_s", mibps);
            System.err.printf(Locale.ROOT, "push_%s %s rep %d: %.1f MiB/s (%.2f s, %d requests)%n",
                    mode, t.name, rep, mibps, secs, requests);
        });
        if (a.options().containsKey("disk")) {
            try (var files = Files.newDirectoryStream(Path.of(a.get("disk")), "disk-seq-*.bin")) {
                for (Path f : files) {
                    Files.delete(f);
                }
            }
        }
    }

    /**
     * Row (c): concurrent full downloads of one URL; aggregate MiB/s, bytes are counted and discarded, or with
     * {@code --digest} hashed as they arrive and checked. Also records when the first and the last client had
     * their last byte.
     */
    static void pull(Args a) throws Exception {
        int clients = a.getInt("clients", 16);
        long size = a.getLong("size", -1);
        String digest = a.getOr("digest", null);
        String row = a.getOr("row", "pull");
        Results out = a.results();
        forEachRep(a, row, (t, rep) -> {
            AtomicLong bytes = new AtomicLong();
            long[] finished = new long[clients];
            long start = System.nanoTime();
            runClients(clients, i -> {
                try (Conn c = new Conn(t.uri())) {
                    long got = digest == null ? c.expect(200, "GET", t.path(""), Map.of(), null).bodyBytes
                            : c.getVerified(t.path(""), digest);
                    if (size >= 0 && got != size) {
                        throw new IOException("short body: " + got + " of " + size);
                    }
                    bytes.addAndGet(got);
                }
                finished[i] = System.nanoTime();
            });
            java.util.Arrays.sort(finished);
            if (digest != null && size >= 0) {
                awaitStored(a, row, t, rep, finished[clients - 1], List.<String[]>of(new String[] {digest, Long.toString(size)}));
            }
            double secs = (finished[clients - 1] - start) / 1e9;
            double mibps = bytes.get() / (double) MIB / secs;
            out.add(row, t.name, rep, "mib_per_s", mibps);
            out.add(row, t.name, rep, "seconds", secs);
            out.add(row, t.name, rep, "first_s", (finished[0] - start) / 1e9);
            System.err.printf(Locale.ROOT, "%s %s rep %d: %.0f MiB/s (%d MiB in %.2f s; first client done at %.2f s)%s%n",
                    row, t.name, rep, mibps, bytes.get() / MIB, secs, (finished[0] - start) / 1e9,
                    digest == null ? "" : ", every client's digest checked");
        });
    }

    /**
     * Pushes one image: a small config, {@code --layers} layers cut one after another from the file starting at
     * {@code --offset}, each {@code --layer-size} bytes, and an OCI manifest tagged {@code --tag}. Prints the
     * manifest digest, then each blob (config first) as {@code digest:size}.
     */
    static void pushImage(Args a) throws Exception {
        Path file = Path.of(a.get("file"));
        long offset = a.getLong("offset", 0);
        int layers = a.getInt("layers", 5);
        long layerSize = a.getLong("layer-size", 40 * MIB);
        String repo = a.get("repo");
        String tag = a.get("tag");
        if (offset + layers * layerSize > Files.size(file)) {
            throw new IllegalArgumentException(file + " is shorter than --offset + --layers x --layer-size");
        }
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},"
                + "\"comment\":\"" + repo + ":" + tag + "\"}").getBytes(StandardCharsets.UTF_8);
        String configDigest = digestOf(config);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            List<String> layerDigests = new ArrayList<>();
            StringBuilder descriptors = new StringBuilder();
            for (int i = 0; i < layers; i++) {
                String d = digestOf(ch, offset + i * layerSize, layerSize);
                layerDigests.add(d);
                descriptors.append(i == 0 ? "" : ",").append("{\"mediaType\":\"").append(OCI_LAYER)
                        .append("\",\"digest\":\"").append(d).append("\",\"size\":").append(layerSize).append('}');
            }
            byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\","
                    + "\"config\":{\"mediaType\":\"" + OCI_CONFIG + "\",\"digest\":\"" + configDigest + "\",\"size\":" + config.length + "},"
                    + "\"layers\":[" + descriptors + "]}").getBytes(StandardCharsets.UTF_8);
            for (Target t : a.targets()) {
                try (Conn c = new Conn(t.uri())) {
                    pushSmallBlob(c, t, repo, null, config, configDigest);
                    for (int i = 0; i < layers; i++) {
                        Response post = c.expect(202, "POST", t.path("/v2/" + repo + "/blobs/uploads/"), Map.of(), Body.EMPTY);
                        c.expect(201, "PUT", withDigest(post.location(), layerDigests.get(i)),
                                Map.of("Content-Type", "application/octet-stream"),
                                new FileBody(ch, offset + i * layerSize, layerSize, new byte[0]));
                    }
                    c.expect(201, "PUT", t.path("/v2/" + repo + "/manifests/" + tag), Map.of("Content-Type", OCI_MANIFEST),
                            new BytesBody(manifest));
                }
            }
            System.out.println(digestOf(manifest));
            System.out.println(configDigest + ":" + config.length);
            for (String d : layerDigests) {
                System.out.println(d + ":" + layerSize);
            }
        }
    }

    /**
     * One image pull as a client does it: the manifest by tag, then the config and the layers it names over
     * {@code --parallel} keep-alive connections (Docker's default is 3), every blob hashed as it arrives and checked
     * against its digest and size. Records the time from the manifest request to the last byte of the last blob,
     * and, with {@code --stored-dir}, how long after it every blob was on the mirror's disk.
     */
    static void imagePull(Args a) throws Exception {
        String row = a.get("row");
        String repo = a.get("repo");
        String tag = a.get("tag");
        int parallel = a.getInt("parallel", 3);
        Results out = a.results();
        forEachRep(a, row, (t, rep) -> {
            long start = System.nanoTime();
            List<String[]> blobs = new ArrayList<>();
            try (Conn c = new Conn(t.uri())) {
                Response m = c.expect(200, "GET", t.path("/v2/" + repo + "/manifests/" + tag), Map.of("Accept", OCI_MANIFEST), null);
                String served = m.header("docker-content-digest");
                if (served != null && !served.equals(digestOf(m.body))) {
                    throw new IOException("manifest digest " + digestOf(m.body) + " but Docker-Content-Digest " + served);
                }
                java.util.regex.Matcher d = java.util.regex.Pattern
                        .compile("\"digest\":\"(sha256:[0-9a-f]{64})\",\"size\":(\\d+)").matcher(m.text());
                while (d.find()) {
                    blobs.add(new String[] {d.group(1), d.group(2)});
                }
            }
            if (blobs.isEmpty()) {
                throw new IOException(t.name + ": the manifest of " + repo + ":" + tag + " names no blobs");
            }
            AtomicLong bytes = new AtomicLong();
            java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
            runClients(Math.min(parallel, blobs.size()), i -> {
                try (Conn c = new Conn(t.uri())) {
                    for (int k = next.getAndIncrement(); k < blobs.size(); k = next.getAndIncrement()) {
                        String[] b = blobs.get(k);
                        long got = c.getVerified(t.path("/v2/" + repo + "/blobs/" + b[0]), b[0]);
                        if (got != Long.parseLong(b[1])) {
                            throw new IOException(b[0] + ": " + got + " bytes, the manifest says " + b[1]);
                        }
                        bytes.addAndGet(got);
                    }
                }
            });
            long end = System.nanoTime();
            double secs = (end - start) / 1e9;
            awaitStored(a, row, t, rep, end, blobs);
            out.add(row, t.name, rep, "seconds", secs);
            out.add(row, t.name, rep, "mib_per_s", bytes.get() / (double) MIB / secs);
            System.err.printf(Locale.ROOT, "%s %s rep %d: %.2f s to the last byte (%d blobs, %.1f MiB, digests checked)%n",
                    row, t.name, rep, secs, blobs.size(), bytes.get() / (double) MIB);
        });
    }

    /**
     * Row (e) set-up: one small image (config + layer + OCI manifest, tag latest) in each of
     * bench/r0000..r(count-1), and bench/tags with {@code --tags} tags. Blobs are mounted from the first
     * repository when the server supports it. Prints the manifest digest.
     */
    static void setupRepos(Args a) throws Exception {
        int count = a.getInt("count", 2000);
        int tags = a.getInt("tags", 50);
        int clients = a.getInt("clients", 16);
        int perRepo = a.getInt("tags-per-repo", 1);
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
                .getBytes(StandardCharsets.UTF_8);
        byte[] layer = new byte[1024];
        new java.util.Random(42).nextBytes(layer);
        String configDigest = digestOf(config);
        String layerDigest = digestOf(layer);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"" + OCI_CONFIG + "\",\"digest\":\"" + configDigest + "\",\"size\":" + config.length + "},"
                + "\"layers\":[{\"mediaType\":\"" + OCI_LAYER + "\",\"digest\":\"" + layerDigest + "\",\"size\":" + layer.length + "}]}")
                .getBytes(StandardCharsets.UTF_8);
        for (Target t : a.targets()) {
            long start = System.nanoTime();
            try (Conn c = new Conn(t.uri())) {
                pushImage(c, t, "bench/r0000", null, config, configDigest, layer, layerDigest, manifest, "latest");
                for (int i = 0; i < tags; i++) {
                    pushImage(c, t, "bench/tags", "bench/r0000", config, configDigest, layer, layerDigest, manifest,
                            String.format(Locale.ROOT, "t%03d", i));
                }
            }
            AtomicLong next = new AtomicLong(1);
            runClients(clients, i -> {
                try (Conn c = new Conn(t.uri())) {
                    for (long r = next.getAndIncrement(); r < count; r = next.getAndIncrement()) {
                        String repo = String.format(Locale.ROOT, "bench/r%04d", r);
                        pushImage(c, t, repo, "bench/r0000", config, configDigest, layer, layerDigest, manifest,
                                "latest");
                        for (int k = 1; k < perRepo; k++) {
                            c.expect(201, "PUT", t.path("/v2/" + repo + "/manifests/" + String.format(Locale.ROOT,
                                    "v%03d", k)), Map.of("Content-Type", OCI_MANIFEST), new BytesBody(manifest));
                        }
                    }
                }
            });
            System.err.printf(Locale.ROOT, "setup-repos %s: %d repositories in %.1f s%n",
                    t.name, count, (System.nanoTime() - start) / 1e9);
        }
        System.out.println(digestOf(manifest));
    }

    static void pushImage(Conn c, Target t, String repo, String from, byte[] config, String configDigest,
            byte[] layer, String layerDigest, byte[] manifest, String tag) throws IOException {
        pushSmallBlob(c, t, repo, from, config, configDigest);
        pushSmallBlob(c, t, repo, from, layer, layerDigest);
        c.expect(201, "PUT", t.path("/v2/" + repo + "/manifests/" + tag), Map.of("Content-Type", OCI_MANIFEST),
                new BytesBody(manifest));
    }

    static void pushSmallBlob(Conn c, Target t, String repo, String from, byte[] blob, String digest) throws IOException {
        String start = "/v2/" + repo + "/blobs/uploads/";
        if (from != null) {
            start += "?mount=" + digest + "&from=" + from;
        }
        Response post = c.exchange("POST", t.path(start), Map.of(), Body.EMPTY, true);
        if (post.status == 201) {
            return;
        }
        if (post.status != 202) {
            throw new IOException("POST " + start + ": " + post.status + " " + post.text());
        }
        c.expect(201, "PUT", withDigest(post.location(), digest), Map.of("Content-Type", "application/octet-stream"),
                new BytesBody(blob));
    }

    /** Row (e): full catalog walks with {@code n} per page, following Link; one client. */
    static void catalog(Args a) throws Exception {
        int n = a.getInt("n", 100);
        int walks = a.getInt("walks", 5);
        int minRepos = a.getInt("min-repos", 0);
        Results out = a.results();
        forEachRep(a, "catalog_walk", (t, rep) -> {
            List<Double> millis = new ArrayList<>();
            int pages = 0;
            int repos = 0;
            try (Conn c = new Conn(t.uri())) {
                for (int w = 0; w < walks; w++) {
                    long start = System.nanoTime();
                    pages = 0;
                    repos = 0;
                    String next = t.path("/v2/_catalog?n=" + n);
                    while (next != null && pages < 100_000) {
                        Response r = c.expect(200, "GET", next, Map.of(), null);
                        repos += count(r.text(), "\"bench/");
                        pages++;
                        next = nextLink(r.header("link"));
                    }
                    millis.add((System.nanoTime() - start) / 1e6);
                }
            }
            if (repos < minRepos) {
                throw new IOException(t.name + ": catalog walk saw " + repos + " bench repositories, expected " + minRepos);
            }
            double ms = median(millis);
            out.add("catalog_walk", t.name, rep, "ms_per_walk", ms);
            out.add("catalog_walk", t.name, rep, "pages_per_s", pages / (ms / 1000));
            System.err.printf(Locale.ROOT, "catalog %s rep %d: %.1f ms per walk (%d pages, %d repos)%n",
                    t.name, rep, ms, pages, repos);
        });
    }

    /**
     * Row (d) and tag lists: each client sends requests back to back on one keep-alive connection for
     * {@code --seconds} (after {@code --warmup}); reports requests/s and p50/p99 latency over all requests.
     */
    static void rps(Args a) throws Exception {
        String row = a.get("row");
        String method = a.getOr("method", "GET");
        // --digest sha256:HEX: every body is hashed and checked, as a client pulling a blob does.
        String digest = a.getOr("digest", null);
        int clients = a.getInt("clients", 64);
        double seconds = a.getDouble("seconds", 8);
        double warmup = a.getDouble("warmup", 1);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h : a.all("header")) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).trim(), h.substring(colon + 1).trim());
        }
        Results out = a.results();
        forEachRep(a, row, (t, rep) -> {
            long[][] samples = new long[clients][];
            int[] counts = new int[clients];
            long begin = System.nanoTime();
            long from = begin + (long) (warmup * 1e9);
            long until = from + (long) (seconds * 1e9);
            runClients(clients, i -> {
                long[] lat = new long[1 << 16];
                int n = 0;
                MessageDigest check = digest == null ? null : sha256();
                try (Conn c = new Conn(t.uri())) {
                    for (int k = 0; k < 50_000_000; k++) {
                        long s0 = System.nanoTime();
                        if (s0 >= until) {
                            break;
                        }
                        Response r = c.expect(200, method, t.path(""), headers, null);
                        if (check != null && !digest.equals("sha256:" + HexFormat.of().formatHex(check.digest(r.body)))) {
                            throw new IOException(t.name + ": a body that does not hash to " + digest);
                        }
                        if (s0 >= from) {
                            if (n == lat.length) {
                                lat = java.util.Arrays.copyOf(lat, n * 2);
                            }
                            lat[n++] = System.nanoTime() - s0;
                        }
                    }
                }
                samples[i] = lat;
                counts[i] = n;
            });
            int total = 0;
            for (int c : counts) {
                total += c;
            }
            long[] all = new long[total];
            int at = 0;
            for (int i = 0; i < clients; i++) {
                System.arraycopy(samples[i], 0, all, at, counts[i]);
                at += counts[i];
            }
            java.util.Arrays.sort(all);
            double reqps = total / seconds;
            double p50 = all.length == 0 ? 0 : all[(int) (all.length * 0.50)] / 1e6;
            double p99 = all.length == 0 ? 0 : all[Math.min(all.length - 1, (int) (all.length * 0.99))] / 1e6;
            out.add(row, t.name, rep, "req_per_s", reqps);
            out.add(row, t.name, rep, "p50_ms", p50);
            out.add(row, t.name, rep, "p99_ms", p99);
            System.err.printf(Locale.ROOT, "%s %s rep %d: %.0f req/s, p50 %.2f ms, p99 %.2f ms%n",
                    row, t.name, rep, reqps, p50, p99);
        });
    }

    /** Baseline: single-thread MessageDigest SHA-256 over {@code --bytes} from a 1 MiB buffer. */
    static void sha256(Args a) throws Exception {
        long bytes = a.getLong("bytes", 1024 * MIB);
        byte[] buf = new byte[(int) MIB];
        ThreadLocalRandom.current().nextBytes(buf);
        MessageDigest sha = sha256();
        for (int i = 0; i < 64; i++) {
            sha.update(buf); // warm up the intrinsic
        }
        sha.reset();
        long start = System.nanoTime();
        for (long done = 0; done < bytes; done += buf.length) {
            sha.update(buf);
        }
        sha.digest();
        double mibps = bytes / (double) MIB / ((System.nanoTime() - start) / 1e9);
        a.results().add("sha256_java", "baseline", 0, "mib_per_s", mibps);
        System.err.printf(Locale.ROOT, "sha256 java: %.0f MiB/s%n", mibps);
    }

    // ---------------------------------------------------------------- helpers

    interface RepBody {
        void run(Target t, int rep) throws Exception;
    }

    interface ClientBody {
        void run(int client) throws Exception;
    }

    /**
     * Runs every rep on every target, flipping the target order on odd reps. For each rep it also records
     * CPU use in cores over the rep's wall time: the target server's process ({@code --pid name=pid}),
     * this client, the whole machine (busy, and waiting for I/O), all from /proc; with {@code --upstream-pid} also
     * a mirror's upstream. {@code --rep K} runs only rep K, for callers that alternate the targets themselves.
     */
    static void forEachRep(Args a, String row, RepBody body) throws Exception {
        int first = a.getInt("rep", 0);
        int reps = a.options().containsKey("rep") ? 1 : a.getInt("reps", 5);
        long upstreamPid = a.getLong("upstream-pid", -1);
        List<Target> targets = a.targets();
        Map<String, Long> pids = new LinkedHashMap<>();
        for (String p : a.all("pid")) {
            pids.put(p.substring(0, p.indexOf('=')), Long.parseLong(p.substring(p.indexOf('=') + 1)));
        }
        Results out = a.results();
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        for (int rep = first; rep < first + reps; rep++) {
            List<Target> order = new ArrayList<>(targets);
            if (rep % 2 == 1) {
                Collections.reverse(order);
            }
            for (Target t : order) {
                Long pid = pids.get(t.name);
                double server0 = pid == null ? 0 : Cpu.processSeconds(pid);
                double upstream0 = upstreamPid < 0 ? 0 : Cpu.processSeconds(upstreamPid);
                double client0 = os.getProcessCpuTime() / 1e9;
                double[] machine0 = Cpu.machineSeconds();
                long start = System.nanoTime();
                body.run(t, rep);
                double wall = (System.nanoTime() - start) / 1e9;
                double[] machine1 = Cpu.machineSeconds();
                if (pid != null) {
                    double used = Cpu.processSeconds(pid) - server0;
                    out.add(row, t.name, rep, "cpu_server", used / wall);
                    out.add(row, t.name, rep, "server_cpu_s", used);
                }
                if (upstreamPid >= 0) {
                    double used = Cpu.processSeconds(upstreamPid) - upstream0;
                    out.add(row, t.name, rep, "cpu_upstream", used / wall);
                    out.add(row, t.name, rep, "upstream_cpu_s", used);
                }
                out.add(row, t.name, rep, "cpu_client", (os.getProcessCpuTime() / 1e9 - client0) / wall);
                out.add(row, t.name, rep, "cpu_machine", (machine1[0] - machine0[0]) / wall);
                out.add(row, t.name, rep, "cpu_iowait", (machine1[1] - machine0[1]) / wall);
            }
        }
    }

    /** CPU time from /proc, in seconds (clock ticks assumed to be 100 per second, as on Linux x86-64). */
    static final class Cpu {
        static double processSeconds(long pid) throws IOException {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime, stime
        }

        /** {busy, iowait} seconds summed over all cores. */
        static double[] machineSeconds() throws IOException {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) { // user nice system irq softirq steal
                busy += Long.parseLong(f[i]);
            }
            return new double[] {busy / 100.0, Long.parseLong(f[5]) / 100.0};
        }
    }

    /** Starts {@code clients} platform threads together and waits for all; rethrows the first failure. */
    static void runClients(int clients, ClientBody body) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            int id = i;
            Thread th = new Thread(() -> {
                try {
                    go.await();
                    body.run(id);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "client-" + i);
            th.start();
            threads.add(th);
        }
        go.countDown();
        for (Thread th : threads) {
            th.join(30 * 60_000);
        }
        if (failure.get() != null) {
            throw new IOException("client failed: " + failure.get(), failure.get());
        }
    }

    /** The pseudo-target of {@code push-big --disk}: a plain file write with one fsync. */
    static final String DISK = "disk";

    static void sync() {
        try {
            new ProcessBuilder("sync").inheritIO().start().waitFor();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String digestOf(byte[] b) {
        return "sha256:" + HexFormat.of().formatHex(sha256().digest(b));
    }

    /**
     * With {@code --stored-dir DIR}: polls every 10 ms until each blob ({digest, size}) is at its place in DIR's
     * filesystem layout with its full size (both Distribution and Wharf rename a blob into place when it is
     * complete), then records {@code stored_s}, seconds since {@code lastByte} (a {@code System.nanoTime()}). After
     * {@code --stored-timeout} seconds it records {@code stored_timeout} instead and says which blobs are missing.
     */
    static void awaitStored(Args a, String row, Target t, int rep, long lastByte, List<String[]> blobs) throws Exception {
        if (!a.options().containsKey("stored-dir")) {
            return;
        }
        Path dir = Path.of(a.get("stored-dir"), "docker/registry/v2/blobs");
        long deadline = lastByte + (long) (a.getDouble("stored-timeout", 120) * 1e9);
        List<String[]> missing = new ArrayList<>(blobs);
        while (true) {
            missing.removeIf(b -> {
                String hex = b[0].substring("sha256:".length());
                Path data = dir.resolve("sha256").resolve(hex.substring(0, 2)).resolve(hex).resolve("data");
                try {
                    return Files.size(data) == Long.parseLong(b[1]);
                } catch (IOException e) {
                    return false;
                }
            });
            long now = System.nanoTime();
            if (missing.isEmpty()) {
                a.results().add(row, t.name, rep, "stored_s", (now - lastByte) / 1e9);
                return;
            }
            if (now > deadline) {
                a.results().add(row, t.name, rep, "stored_timeout", 1);
                System.err.printf(Locale.ROOT, "%s %s rep %d: %d blob(s) not on the mirror's disk %.0f s after the last byte: %s%n",
                        row, t.name, rep, missing.size(), (now - lastByte) / 1e9, missing.get(0)[0]);
                return;
            }
            Thread.sleep(10);
        }
    }

    /** The digest of {@code len} bytes of a file from {@code pos}. */
    static String digestOf(FileChannel ch, long pos, long len) throws IOException {
        MessageDigest sha = sha256();
        ByteBuffer buf = ByteBuffer.allocateDirect((int) MIB);
        for (long end = pos + len; pos < end; ) {
            buf.clear().limit((int) Math.min(MIB, end - pos));
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new EOFException("file ends before " + end);
            }
            pos += n;
            buf.flip();
            sha.update(buf);
        }
        return "sha256:" + HexFormat.of().formatHex(sha.digest());
    }

    static String withDigest(String location, String digest) {
        return location + (location.contains("?") ? "&" : "?") + "digest=" + digest;
    }

    static String nextLink(String link) {
        if (link == null || !link.contains("rel=\"next\"")) {
            return null;
        }
        int lt = link.indexOf('<');
        int gt = link.indexOf('>', lt);
        return Conn.pathOf(link.substring(lt + 1, gt));
    }

    static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    static double median(List<Double> values) {
        List<Double> v = new ArrayList<>(values);
        Collections.sort(v);
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    /**
     * A blob made of a file minus its last {@link #TAIL} bytes plus a caller-chosen tail, so each push can
     * be a new blob while the digest of the long prefix is computed only once.
     */
    static final class BigBlob {
        static final int TAIL = 32;
        final Path file;
        final long size;
        final FileChannel channel;
        final MessageDigest prefix;

        BigBlob(Path file) throws IOException {
            this.file = file;
            this.size = Files.size(file);
            this.channel = FileChannel.open(file, StandardOpenOption.READ);
            this.prefix = sha256();
            ByteBuffer buf = ByteBuffer.allocateDirect((int) MIB);
            for (long pos = 0; pos < size - TAIL; ) {
                buf.clear().limit((int) Math.min(MIB, size - TAIL - pos));
                int n = channel.read(buf, pos);
                if (n < 0) {
                    throw new EOFException(file.toString());
                }
                pos += n;
                buf.flip();
                prefix.update(buf);
            }
        }

        byte[] fileTail() throws IOException {
            ByteBuffer b = ByteBuffer.allocate(TAIL);
            channel.read(b, size - TAIL);
            return b.array();
        }

        String digest(byte[] tail) {
            try {
                MessageDigest d = (MessageDigest) prefix.clone();
                return "sha256:" + HexFormat.of().formatHex(d.digest(tail));
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException(e);
            }
        }

        /**
         * Writes the blob's bytes (file prefix, then the tail) to a new file in 1 MiB writes and fsyncs it once, as
         * {@code dd bs=1M conv=fsync} would, and keeps it (the caller removes it); MiB/s including the fsync.
         */
        double writeWithFsync(Path target, byte[] tail) throws IOException {
            ByteBuffer buf = ByteBuffer.allocateDirect((int) MIB);
            long start = System.nanoTime();
            try (FileChannel outCh = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                for (long pos = 0; pos < size - TAIL; ) {
                    buf.clear().limit((int) Math.min(MIB, size - TAIL - pos));
                    pos += channel.read(buf, pos);
                    buf.flip();
                    while (buf.hasRemaining()) {
                        outCh.write(buf);
                    }
                }
                outCh.write(ByteBuffer.wrap(tail));
                outCh.force(true);
            }
            double secs = (System.nanoTime() - start) / 1e9;
            return size / (double) MIB / secs;
        }

        /** Bytes [off, off+len) of the blob: file bytes, then the part of the tail that falls inside. */
        Body body(long off, long len, byte[] tail) {
            long tailStart = size - TAIL;
            long fileLen = Math.max(0, Math.min(off + len, tailStart) - off);
            int tailFrom = (int) Math.max(0, off - tailStart);
            int tailTo = (int) Math.max(0, off + len - tailStart);
            byte[] t = java.util.Arrays.copyOfRange(tail, tailFrom, tailTo);
            return new FileBody(channel, off, fileLen, t);
        }
    }

    // ---------------------------------------------------------------- a minimal HTTP/1.1 client

    interface Body {
        Body EMPTY = new BytesBody(new byte[0]);

        long length();

        void writeTo(SocketChannel ch) throws IOException;
    }

    record BytesBody(byte[] bytes) implements Body {
        public long length() {
            return bytes.length;
        }

        public void writeTo(SocketChannel ch) throws IOException {
            Conn.writeFully(ch, ByteBuffer.wrap(bytes));
        }
    }

    /** A file range (sent with sendfile via transferTo) followed by a few bytes from memory. */
    record FileBody(FileChannel file, long offset, long fileLength, byte[] after) implements Body {
        public long length() {
            return fileLength + after.length;
        }

        public void writeTo(SocketChannel ch) throws IOException {
            long pos = offset;
            long end = offset + fileLength;
            while (pos < end) {
                long n = file.transferTo(pos, end - pos, ch);
                if (n <= 0 && pos < end) {
                    throw new EOFException("transferTo made no progress at " + pos);
                }
                pos += n;
            }
            Conn.writeFully(ch, ByteBuffer.wrap(after));
        }
    }

    static final class Response {
        final int status;
        final Map<String, String> headers;
        final byte[] body;
        final long bodyBytes;

        Response(int status, Map<String, String> headers, byte[] body, long bodyBytes) {
            this.status = status;
            this.headers = headers;
            this.body = body;
            this.bodyBytes = bodyBytes;
        }

        String header(String name) {
            return headers.get(name);
        }

        String location() throws IOException {
            String loc = headers.get("location");
            if (loc == null) {
                throw new IOException("response " + status + " has no Location");
            }
            return Conn.pathOf(loc);
        }

        String text() {
            return body == null ? "" : new String(body, StandardCharsets.UTF_8);
        }
    }

    /** One keep-alive connection; not thread-safe. Bodies above 1 MiB are counted, not kept. */
    static final class Conn implements Closeable {
        static final int KEEP_LIMIT = (int) MIB;
        final String host;
        final int port;
        final ByteBuffer buf = ByteBuffer.allocateDirect((int) MIB);
        SocketChannel ch;
        /** When set, every body byte read is fed to it (see {@link #getVerified}). */
        private MessageDigest sink;

        Conn(URI base) {
            this.host = base.getHost();
            this.port = base.getPort();
        }

        /** The path and query of an absolute or relative URL. */
        static String pathOf(String url) {
            if (url.startsWith("http://") || url.startsWith("https://")) {
                int slash = url.indexOf('/', url.indexOf("//") + 2);
                return slash < 0 ? "/" : url.substring(slash);
            }
            return url;
        }

        static void writeFully(SocketChannel ch, ByteBuffer b) throws IOException {
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }

        /**
         * GETs a blob, hashing its bytes as they arrive; returns its length.
         *
         * @throws IOException when the answer is not 200 or the bytes do not hash to {@code digest}
         */
        long getVerified(String path, String digest) throws IOException {
            sink = sha256();
            try {
                Response r = exchange("GET", path, Map.of(), null, false);
                if (r.status != 200) {
                    throw new IOException("GET " + path + ": expected 200, got " + r.status);
                }
                String got = "sha256:" + HexFormat.of().formatHex(sink.digest());
                if (!got.equals(digest)) {
                    throw new IOException("GET " + path + ": " + r.bodyBytes + " bytes with digest " + got);
                }
                return r.bodyBytes;
            } finally {
                sink = null;
            }
        }

        Response expect(int status, String method, String path, Map<String, String> headers, Body body)
                throws IOException {
            Response r = exchange(method, path, headers, body, true);
            if (r.status != status) {
                throw new IOException(method + " " + path + ": expected " + status + ", got " + r.status + " " + r.text());
            }
            return r;
        }

        Response exchange(String method, String path, Map<String, String> headers, Body body, boolean keep)
                throws IOException {
            if (ch == null) {
                ch = SocketChannel.open(new InetSocketAddress(host, port));
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                buf.clear().flip();
            }
            StringBuilder sb = new StringBuilder(256);
            sb.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ").append(host).append(':')
                    .append(port).append("\r\nUser-Agent: RegistryBench\r\n");
            headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
            if (body != null) {
                sb.append("Content-Length: ").append(body.length()).append("\r\n");
            }
            sb.append("\r\n");
            writeFully(ch, ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.ISO_8859_1)));
            if (body != null) {
                body.writeTo(ch);
            }
            return readResponse(method.equals("HEAD"), keep);
        }

        private Response readResponse(boolean head, boolean keep) throws IOException {
            String statusLine = readLine();
            int status = Integer.parseInt(statusLine.substring(9, 12));
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line = readLine(); !line.isEmpty(); line = readLine()) {
                int colon = line.indexOf(':');
                headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
                        (x, y) -> x + ", " + y);
            }
            byte[] kept = null;
            long total = 0;
            boolean close = "close".equalsIgnoreCase(headers.get("connection"));
            if (head || status == 204 || status == 304 || status / 100 == 1) {
                // no body
            } else if (headers.containsKey("content-length")) {
                long len = Long.parseLong(headers.get("content-length"));
                kept = keep && len <= KEEP_LIMIT ? new byte[(int) len] : null;
                total = readBody(len, kept, 0);
            } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                java.io.ByteArrayOutputStream acc = keep ? new java.io.ByteArrayOutputStream() : null;
                for (long size = Long.parseLong(readLine().split(";")[0].trim(), 16); size > 0;
                        size = Long.parseLong(readLine().split(";")[0].trim(), 16)) {
                    byte[] part = acc != null && size <= KEEP_LIMIT ? new byte[(int) size] : null;
                    total += readBody(size, part, 0);
                    if (part != null) {
                        acc.write(part);
                    }
                    readLine();
                }
                while (!readLine().isEmpty()) {
                    // trailers
                }
                kept = acc == null ? null : acc.toByteArray();
            } else {
                total = readBody(Long.MAX_VALUE, null, 0);
                close = true;
            }
            if (close) {
                close();
            }
            return new Response(status, headers, kept, total);
        }

        /** Reads up to {@code len} body bytes (until EOF when len is MAX_VALUE), copying into {@code into} if given. */
        private long readBody(long len, byte[] into, int at) throws IOException {
            long done = 0;
            while (done < len) {
                if (!buf.hasRemaining() && !fill()) {
                    if (len == Long.MAX_VALUE) {
                        return done;
                    }
                    throw new EOFException("connection closed after " + done + " of " + len + " body bytes");
                }
                int n = (int) Math.min(buf.remaining(), len - done);
                if (sink != null) {
                    sink.update(buf.slice(buf.position(), n));
                }
                if (into != null) {
                    buf.get(into, at + (int) done, n);
                } else {
                    buf.position(buf.position() + n);
                }
                done += n;
            }
            return done;
        }

        private String readLine() throws IOException {
            StringBuilder sb = new StringBuilder(64);
            while (true) {
                while (buf.hasRemaining()) {
                    char c = (char) (buf.get() & 0xff);
                    if (c == '\n') {
                        int len = sb.length();
                        return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
                    }
                    sb.append(c);
                    if (sb.length() > 65536) {
                        throw new IOException("header line too long");
                    }
                }
                if (!fill()) {
                    throw new EOFException("connection closed while reading headers");
                }
            }
        }

        /** Refills the empty buffer from the socket; false at end of stream. */
        private boolean fill() throws IOException {
            buf.clear();
            int n = ch.read(buf);
            buf.flip();
            return n > 0 || (n == 0 && fill());
        }

        @Override
        public void close() throws IOException {
            if (ch != null) {
                ch.close();
                ch = null;
            }
        }
    }

    // ---------------------------------------------------------------- arguments, results, report

    record Target(String name, URI uri) {
        String path(String p) {
            String base = uri.getRawPath() == null ? "" : uri.getRawPath();
            String q = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
            return p.isEmpty() ? (base.isEmpty() ? "/" : base) + q : base.replaceAll("/$", "") + p;
        }
    }

    record Args(Map<String, List<String>> options, List<Target> targetList) {
        static Args parse(String[] argv) {
            Map<String, List<String>> o = new LinkedHashMap<>();
            List<Target> t = new ArrayList<>();
            for (int i = 1; i < argv.length; i++) {
                if (argv[i].startsWith("--")) {
                    if (i + 1 >= argv.length) {
                        throw new IllegalArgumentException(argv[i] + " needs a value");
                    }
                    o.computeIfAbsent(argv[i].substring(2), k -> new ArrayList<>()).add(argv[++i]);
                } else {
                    int eq = argv[i].indexOf('=');
                    if (eq < 0) {
                        throw new IllegalArgumentException("expected name=url, got " + argv[i]);
                    }
                    t.add(new Target(argv[i].substring(0, eq), URI.create(argv[i].substring(eq + 1))));
                }
            }
            return new Args(o, t);
        }

        String get(String k) {
            List<String> v = options.get(k);
            if (v == null) {
                throw new IllegalArgumentException("missing --" + k);
            }
            return v.get(v.size() - 1);
        }

        String getOr(String k, String d) {
            return options.containsKey(k) ? get(k) : d;
        }

        List<String> all(String k) {
            return options.getOrDefault(k, List.of());
        }

        int getInt(String k, int d) {
            return options.containsKey(k) ? Integer.parseInt(get(k)) : d;
        }

        long getLong(String k, long d) {
            return options.containsKey(k) ? Long.parseLong(get(k)) : d;
        }

        double getDouble(String k, double d) {
            return options.containsKey(k) ? Double.parseDouble(get(k)) : d;
        }

        List<Target> targets() {
            if (targetList.isEmpty()) {
                throw new IllegalArgumentException("no targets given (name=url)");
            }
            return targetList;
        }

        Results results() {
            return new Results(options.containsKey("out") ? Path.of(get("out")) : null);
        }
    }

    /** Appends tab-separated result lines (row, target, rep, metric, value) to a file, if one was given. */
    record Results(Path file) {
        void add(String row, String target, int rep, String metric, double value) {
            if (file == null) {
                return;
            }
            String line = String.join("\t", row, target, Integer.toString(rep), metric,
                    String.format(Locale.ROOT, "%.3f", value)) + "\n";
            try {
                Files.writeString(file, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Medians (with min-max) per row, target and metric, as a markdown table. */
    static final class Report {
        record Key(String row, String metric) {}

        static final List<String[]> ROWS = List.of(
                new String[] {"startup", "ms", "start-up: process start until GET /v2/ answers", "ms, lower is better"},
                new String[] {"small_push", "ops_per_s", "(a) 4 KiB blob push, POST+PUT, 16 clients", "pushes/s"},
                new String[] {"push_chunked", "mib_per_s", "(b) 1 GiB push, 8 MiB PATCH chunks", "MiB/s"},
                new String[] {"push_mono", "mib_per_s", "(b) 1 GiB push, monolithic POST+PUT", "MiB/s"},
                new String[] {"pull", "mib_per_s", "(c) 1 GiB pull, 16 concurrent", "MiB/s aggregate"},
                new String[] {"manifest_get", "req_per_s", "(d) manifest GET by tag, 64 clients", "req/s"},
                new String[] {"manifest_get", "p50_ms", "(d) manifest GET p50", "ms"},
                new String[] {"manifest_get", "p99_ms", "(d) manifest GET p99", "ms"},
                new String[] {"manifest_get_wrk", "req_per_s", "(d) manifest GET by tag, wrk 2 threads, 64 conns", "req/s"},
                new String[] {"manifest_get_wrk", "p50_ms", "(d) manifest GET p50 (wrk)", "ms"},
                new String[] {"manifest_get_wrk", "p99_ms", "(d) manifest GET p99 (wrk)", "ms"},
                new String[] {"manifest_head", "req_per_s", "(d) manifest HEAD by tag, 64 clients", "req/s"},
                new String[] {"manifest_head", "p50_ms", "(d) manifest HEAD p50", "ms"},
                new String[] {"manifest_head", "p99_ms", "(d) manifest HEAD p99", "ms"},
                new String[] {"small_pull", "req_per_s", "(g) 4 KiB blob GET, 16 clients, digest checked", "req/s"},
                new String[] {"small_pull", "p99_ms", "(g) 4 KiB blob GET p99", "ms"},
                new String[] {"tags_list", "req_per_s", "(e) tag list (50 tags), 64 clients", "req/s"},
                new String[] {"catalog_walk", "ms_per_walk", "(e) full catalog walk, n=100, 2,000 repos", "ms, lower is better"},
                new String[] {"catalog_walk", "pages_per_s", "(e) catalog pages, 1 client", "pages/s"},
                new String[] {"rss", "peak_mib", "(f) peak RSS (VmHWM) after all rows", "MiB"},
                // bench/mirror.sh
                new String[] {"mirror_cold", "seconds", "(1) cold pull: manifest by tag + config + 5 layers (200 MiB), 3 connections", "s to last byte, lower is better"},
                new String[] {"mirror_cold", "upstream_mib", "(1) cold pull: bytes the upstream served", "MiB"},
                new String[] {"mirror_cold", "upstream_requests", "(1) cold pull: requests to the upstream", "count"},
                new String[] {"mirror_cold", "stored_s", "(1) cold pull: every blob on the mirror's disk, after the last byte", "s"},
                new String[] {"mirror_cold", "server_cpu_s", "(1) cold pull: the mirror's CPU time, until stored", "CPU s, lower is better"},
                new String[] {"mirror_cold", "upstream_cpu_s", "(1) cold pull: the upstream's CPU time", "CPU s, lower is better"},
                new String[] {"mirror_warm", "seconds", "(2) warm pull of the same image", "s to last byte, lower is better"},
                new String[] {"mirror_warm", "upstream_bytes", "(2) warm pull: bytes the upstream served", "bytes"},
                new String[] {"mirror_warm", "upstream_requests", "(2) warm pull: requests to the upstream", "count"},
                new String[] {"mirror_warm", "server_cpu_s", "(2) warm pull: the mirror's CPU time", "CPU s, lower is better"},
                new String[] {"mirror_fanout", "seconds", "(3) 32 clients, one uncached 512 MiB layer: last client's last byte", "s, lower is better"},
                new String[] {"mirror_fanout", "first_s", "(3) first client's last byte", "s"},
                new String[] {"mirror_fanout", "upstream_mib", "(3) bytes the upstream served for the layer", "MiB"},
                new String[] {"mirror_fanout", "upstream_gets", "(3) upstream GETs of the layer", "count"},
                new String[] {"mirror_fanout", "stored_s", "(3) layer on the mirror's disk, after the last client's last byte", "s"},
                new String[] {"mirror_fanout", "server_cpu_s", "(3) the mirror's CPU time, until stored", "CPU s, lower is better"},
                new String[] {"mirror_fanout", "upstream_cpu_s", "(3) the upstream's CPU time", "CPU s, lower is better"},
                new String[] {"mirror_fanout", "peak_rss_mib", "(3) mirror's peak RSS (VmHWM) after the row", "MiB"});

        static void write(Args a) throws IOException {
            Map<Key, Map<String, List<Double>>> data = new LinkedHashMap<>();
            Map<Key, Map<String, Map<String, Double>>> byRep = new HashMap<>();
            for (String line : Files.readAllLines(Path.of(a.get("in")))) {
                String[] f = line.split("\t");
                if (f.length != 5) {
                    continue;
                }
                data.computeIfAbsent(new Key(f[0], f[3]), k -> new TreeMap<>())
                        .computeIfAbsent(f[1], k -> new ArrayList<>()).add(Double.parseDouble(f[4]));
                byRep.computeIfAbsent(new Key(f[0], f[3]), k -> new HashMap<>())
                        .computeIfAbsent(f[1], k -> new HashMap<>()).put(f[2], Double.parseDouble(f[4]));
            }
            List<String> targets = a.all("target");
            StringBuilder md = new StringBuilder();
            for (String m : a.all("meta")) {
                md.append("- ").append(m).append('\n');
            }
            md.append('\n');
            md.append("| row | unit |");
            for (String t : targets) {
                md.append(' ').append(t).append(" |");
            }
            md.append(" ").append(targets.size() == 2 ? targets.get(1) + " ÷ " + targets.get(0) : "ratio").append(" | reference |\n");
            md.append("| --- | --- |").append(" ---: |".repeat(targets.size())).append(" ---: | --- |\n");
            for (String[] row : ROWS) {
                Map<String, List<Double>> byTarget = data.get(new Key(row[0], row[1]));
                if (byTarget == null) {
                    continue;
                }
                md.append("| ").append(row[2]).append(" | ").append(row[3]).append(" |");
                List<Double> medians = new ArrayList<>();
                for (String t : targets) {
                    List<Double> v = byTarget.get(t);
                    boolean whole = row[3].equals("count") || row[3].equals("bytes");
                    md.append(' ').append(v == null ? "–" : whole ? wholeCell(v) : cell(v)).append(" |");
                    medians.add(v == null ? null : median(v));
                }
                String ratio = medians.size() == 2 && medians.get(0) != null && medians.get(1) != null && medians.get(0) != 0
                        ? String.format(Locale.ROOT, "%.2f×", medians.get(1) / medians.get(0)) : "–";
                md.append(' ').append(ratio).append(" | ").append(reference(data, byRep, row[0], row[1]))
                        .append(" |\n");
            }
            md.append("\nEach cell: median of N reps (min–max in brackets).\n\n");
            cpuTable(md, data, targets);
            md.append("| baseline | value |\n| --- | ---: |\n");
            baseline(md, data, "pull", "nginx", "mib_per_s", "nginx 1.22, same 1 GiB file, 16 concurrent pulls (MiB/s)");
            baseline(md, data, "sha256_openssl", "baseline", "mib_per_s", "SHA-256, openssl speed, 16 KiB blocks, 1 thread (MiB/s)");
            baseline(md, data, "sha256_java", "baseline", "mib_per_s", "SHA-256, Java MessageDigest over 1 GiB, 1 thread (MiB/s)");
            baseline(md, data, "disk_seq", "baseline", "mib_per_s", "disk: 1 GiB written + one fsync, alternating with the monolithic pushes (MiB/s)");
            baseline(md, data, "disk_dsync", "baseline", "writes_per_s", "disk: 4 KiB O_DSYNC writes, dd (writes/s)");
            Files.writeString(Path.of(a.get("md")), md.toString());
            System.out.print(md);
        }

        /**
         * Median cores busy per row: each server process, the load generator, the machine, I/O wait; and a mirror's
         * upstream, when the rows recorded one.
         */
        static void cpuTable(StringBuilder md, Map<Key, Map<String, List<Double>>> data, List<String> targets) {
            boolean upstream = data.keySet().stream().anyMatch(k -> k.metric().equals("cpu_upstream"));
            md.append("CPU during each row, in cores (of 2), median over reps; the server's own process, ")
                    .append(upstream ? "its upstream, " : "").append("the load "
                    + "generator, the whole machine busy, and the whole machine waiting for I/O:\n\n");
            md.append("| row | target | server |").append(upstream ? " upstream |" : "")
                    .append(" load generator | machine busy | I/O wait |\n");
            md.append("| --- | --- | ---: |").append(upstream ? " ---: |" : "").append(" ---: | ---: | ---: |\n");
            java.util.Set<String> seen = new java.util.LinkedHashSet<>();
            for (String[] row : ROWS) {
                seen.add(row[0]);
            }
            for (String row : seen) {
                for (String t : targets) {
                    Map<String, List<Double>> machine = data.get(new Key(row, "cpu_machine"));
                    if (machine == null || machine.get(t) == null) {
                        continue;
                    }
                    md.append("| ").append(row).append(" | ").append(t).append(" | ")
                            .append(medianOrDash(data, row, "cpu_server", t)).append(" | ");
                    if (upstream) {
                        md.append(medianOrDash(data, row, "cpu_upstream", t)).append(" | ");
                    }
                    md.append(fmt(median(data.get(new Key(row, "cpu_client")).get(t)))).append(" | ")
                            .append(fmt(median(machine.get(t)))).append(" | ")
                            .append(fmt(median(data.get(new Key(row, "cpu_iowait")).get(t)))).append(" |\n");
                }
            }
            md.append('\n');
        }

        static String medianOrDash(Map<Key, Map<String, List<Double>>> data, String row, String metric, String target) {
            Map<String, List<Double>> m = data.get(new Key(row, metric));
            return m == null || m.get(target) == null ? "–" : fmt(median(m.get(target)));
        }

        static String reference(Map<Key, Map<String, List<Double>>> data,
                Map<Key, Map<String, Map<String, Double>>> byRep, String row, String metric) {
            if (row.startsWith("mirror_") && metric.equals("upstream_mib")) {
                return refValue(data, row, "baseline", "content_mib", "content (MiB):");
            }
            if (row.equals("pull")) {
                return refValue(data, "pull", "nginx", "mib_per_s", "nginx");
            }
            if (row.equals("small_push")) {
                return refValue(data, "small_push", "nginx", "ops_per_s", "nginx (WebDAV PUT, no fsync)");
            }
            if (row.equals("push_mono") && metric.equals("mib_per_s") && data.containsKey(new Key("disk_seq", metric))
                    && data.get(new Key(row, metric)).containsKey("wharf")) {
                return refValue(data, "disk_seq", "baseline", metric, "disk with one fsync")
                        + share(data.get(new Key(row, metric)).get("wharf"), data.get(new Key("disk_seq", metric))
                                .get("baseline"), byRep.get(new Key(row, metric)).get("wharf"),
                                byRep.get(new Key("disk_seq", metric)).get("baseline"));
            }
            if (row.startsWith("push_")) {
                return refValue(data, "sha256_openssl", "baseline", "mib_per_s", "SHA-256 (openssl)");
            }
            if ((row.equals("small_pull") || row.startsWith("manifest_")) && metric.equals("req_per_s")) {
                return limitShare(data, byRep, row, metric);
            }
            return "";
        }

        /**
         * nginx serving the same bytes as a static file, and Wharf's share of that limit: the ratio of the two medians,
         * and the median of the ratios rep by rep. The targets alternate within each rep, so the second pairs runs
         * made seconds apart; it stays steady when the machine speeds up or slows down between reps, which moves every
         * server's figures together (nginx's too) and can leave the two medians from different halves of the run.
         */
        static String limitShare(Map<Key, Map<String, List<Double>>> data,
                Map<Key, Map<String, Map<String, Double>>> byRep, String row, String metric) {
            Map<String, List<Double>> m = data.get(new Key(row, metric));
            if (m == null || m.get("nginx") == null) {
                return "";
            }
            double limit = median(m.get("nginx"));
            String out = "nginx " + fmt(limit);
            if (m.get("wharf") == null || limit == 0) {
                return out;
            }
            return out + share(m.get("wharf"), m.get("nginx"), byRep.get(new Key(row, metric)).get("wharf"),
                    byRep.get(new Key(row, metric)).get("nginx"));
        }

        /** " (wharf X%; rep by rep Y%)": the ratio of the medians, and the median of the ratios of reps run together. */
        static String share(List<Double> wharf, List<Double> limit, Map<String, Double> wharfByRep,
                Map<String, Double> limitByRep) {
            List<Double> paired = new ArrayList<>();
            for (Map.Entry<String, Double> e : wharfByRep.entrySet()) {
                Double l = limitByRep.get(e.getKey());
                if (l != null && l > 0) {
                    paired.add(e.getValue() / l);
                }
            }
            String byMedians = String.format(Locale.ROOT, " (wharf %.0f%%", 100 * median(wharf) / median(limit));
            return byMedians + (paired.isEmpty() ? ")"
                    : String.format(Locale.ROOT, "; rep by rep %.0f%%)", 100 * median(paired)));
        }

        static String refValue(Map<Key, Map<String, List<Double>>> data, String row, String target, String metric, String label) {
            Map<String, List<Double>> m = data.get(new Key(row, metric));
            if (m == null || m.get(target) == null) {
                return "";
            }
            return label + " " + fmt(median(m.get(target)));
        }

        static void baseline(StringBuilder md, Map<Key, Map<String, List<Double>>> data, String row, String target,
                String metric, String label) {
            Map<String, List<Double>> m = data.get(new Key(row, metric));
            if (m != null && m.get(target) != null) {
                md.append("| ").append(label).append(" | ").append(cell(m.get(target))).append(" |\n");
            }
        }

        static String cell(List<Double> v) {
            if (v.size() == 1) {
                return fmt(v.get(0));
            }
            return fmt(median(v)) + " (" + fmt(Collections.min(v)) + "–" + fmt(Collections.max(v)) + ")";
        }

        /** Like {@link #cell} for counts: whole numbers. */
        static String wholeCell(List<Double> v) {
            String m = String.format(Locale.ROOT, "%,.0f", median(v));
            if (v.size() == 1) {
                return m;
            }
            return m + String.format(Locale.ROOT, " (%,.0f–%,.0f)", Collections.min(v), Collections.max(v));
        }

        static String fmt(double d) {
            if (d >= 100) {
                return String.format(Locale.ROOT, "%,.0f", d);
            }
            if (d >= 10) {
                return String.format(Locale.ROOT, "%.1f", d);
            }
            return String.format(Locale.ROOT, "%.2f", d);
        }
    }
}
