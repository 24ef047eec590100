import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Soak load for one registry on loopback: {@code connections} clients push and pull blobs until {@code gib} GiB have
 * moved (or {@code minutes} have passed), then every kind of request is made once more. Prints what it saw and the
 * server's RSS and open file descriptors before and after (read from /proc/PID). JDK only; bounded in count and
 * time; disk bounded because pushes reuse a few contents per client (the registry deduplicates them).
 *
 *   java bench/Soak.java URL PID [--gib 100] [--connections 256] [--minutes 30]
 */
public final class Soak {
    static final long MIB = 1 << 20;
    static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        long pid = Long.parseLong(args[1]);
        Map<String, String> opt = new TreeMap<>();
        for (int i = 2; i + 1 < args.length; i += 2) {
            opt.put(args[i], args[i + 1]);
        }
        long target = Long.parseLong(opt.getOrDefault("--gib", "100")) << 30;
        int connections = Integer.parseInt(opt.getOrDefault("--connections", "256"));
        Duration limit = Duration.ofMinutes(Long.parseLong(opt.getOrDefault("--minutes", "30")));
        new Soak(base, pid).run(target, connections, limit);
    }

    private final URI base;
    private final long pid;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    private final LongAdder requests = new LongAdder();
    private final LongAdder bytesUp = new LongAdder();
    private final LongAdder bytesDown = new LongAdder();
    private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    private final LongAdder errors = new LongAdder();
    private final LongAdder digestMismatches = new LongAdder();

    Soak(URI base, long pid) {
        this.base = base;
        this.pid = pid;
    }

    void run(long target, int connections, Duration limit) throws Exception {
        String before = process();
        // Blobs to pull: 32 of 1 to 64 MiB, pushed once.
        List<String> pulls = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            long size = MIB << (i % 7);
            pulls.add(push("soak/pull", 1_000_000 + i, size));
        }
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        AtomicLong moved = new AtomicLong();
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        List<Future<?>> workers = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int me = c;
            workers.add(pool.submit(() -> {
                SplittableRandom random = new SplittableRandom(me);
                long n = 0;
                while (moved.get() < target && System.nanoTime() < deadline) {
                    try {
                        if (random.nextInt(10) < 2) {
                            long size = MIB << random.nextInt(3);
                            push("soak/c" + me, me * 10 + (int) (n % 4), size);
                            moved.addAndGet(size);
                        } else {
                            String digest = pulls.get(random.nextInt(pulls.size()));
                            moved.addAndGet(pull("soak/pull", digest));
                        }
                    } catch (Exception e) {
                        errors.increment();
                    }
                    n++;
                }
                return null;
            }));
        }
        for (Future<?> f : workers) {
            f.get();
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - start) / 1e9;
        int afterErrors = everyKind();
        String after = process();
        long fivexx = statuses.entrySet().stream().filter(e -> e.getKey() >= 500).mapToLong(e -> e.getValue().sum())
                .sum();
        System.out.printf("| moved | %.1f GiB in %.0f s (%.0f MiB/s) |%n", moved.get() / (double) (1L << 30), seconds,
                moved.get() / MIB / seconds);
        System.out.printf("| received / sent by the server | %.1f GiB / %.1f GiB |%n", bytesUp.sum() / (double) (1L << 30),
                bytesDown.sum() / (double) (1L << 30));
        System.out.printf("| requests | %d (statuses %s) |%n", requests.sum(), new TreeMap<>(statuses));
        System.out.printf("| answers >= 500 | %d |%n", fivexx);
        System.out.printf("| client errors (exceptions) | %d; digest mismatches %d |%n", errors.sum(),
                digestMismatches.sum());
        System.out.printf("| every kind of request afterwards | %s |%n", afterErrors == 0 ? "all answered as expected"
                : afterErrors + " unexpected answers");
        System.out.printf("| server before | %s |%n| server after | %s |%n", before, after);
        System.exit(fivexx == 0 && afterErrors == 0 && digestMismatches.sum() == 0 ? 0 : 1);
    }

    private String process() throws IOException {
        long rss = 0;
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        long fds;
        try (var list = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            fds = list.count();
        }
        return "RSS " + rss + " MiB, " + fds + " open file descriptors";
    }

    private HttpResponse<InputStream> send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<InputStream> res = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        requests.increment();
        statuses.computeIfAbsent(res.statusCode(), s -> new LongAdder()).increment();
        return res;
    }

    private String text(HttpRequest request, int... expected) throws IOException, InterruptedException {
        HttpResponse<InputStream> res = send(request);
        String body;
        try (InputStream in = res.body()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (int e : expected) {
            if (e == res.statusCode()) {
                return res.headers().firstValue("Location").orElse(body);
            }
        }
        throw new IOException(request.method() + " " + request.uri() + " answered " + res.statusCode() + ": " + body);
    }

    /** Pushes {@code size} bytes derived from {@code seed} monolithically; returns the digest. */
    String push(String repo, long seed, long size) throws Exception {
        String digest = digestOf(seed, size);
        text(HttpRequest.newBuilder(base.resolve("/v2/" + repo + "/blobs/uploads/?digest=" + digest))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> new Generated(seed, size)), size)).build(), 201);
        bytesUp.add(size);
        return digest;
    }

    long pull(String repo, String digest) throws Exception {
        HttpResponse<InputStream> res = send(HttpRequest.newBuilder(base.resolve("/v2/" + repo + "/blobs/" + digest))
                .GET().build());
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long n = 0;
        try (InputStream in = res.body()) {
            byte[] buf = new byte[256 * 1024];
            int r;
            while ((r = in.read(buf)) > 0) {
                sha.update(buf, 0, r);
                n += r;
            }
        }
        bytesDown.add(n);
        if (res.statusCode() != 200) {
            throw new IOException("pull answered " + res.statusCode());
        }
        if (!("sha256:" + HexFormat.of().formatHex(sha.digest())).equals(digest)) {
            digestMismatches.increment();
        }
        return n;
    }

    /** One request of every kind; returns how many were not answered as expected. */
    int everyKind() {
        int bad = 0;
        try {
            text(HttpRequest.newBuilder(base.resolve("/v2/")).GET().build(), 200);
            String config = push("soak/final", 7, 100);
            String layer = push("soak/final", 8, MIB);
            text(HttpRequest.newBuilder(base.resolve("/v2/soak/final/blobs/" + layer))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), 200);
            String location = text(HttpRequest.newBuilder(base.resolve("/v2/soak/final/blobs/uploads/"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), 202);
            URI upload = base.resolve(location);
            byte[] chunk = "chunked upload".getBytes(StandardCharsets.UTF_8);
            location = text(HttpRequest.newBuilder(upload).header("Content-Type", "application/octet-stream")
                    .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(chunk)).build(), 202);
            String chunkDigest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(chunk));
            URI done = base.resolve(location);
            text(HttpRequest.newBuilder(URI.create(done + (done.getQuery() == null ? "?" : "&") + "digest=" + chunkDigest))
                    .PUT(HttpRequest.BodyPublishers.noBody()).build(), 201);
            String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST + "\",\"config\":{\"mediaType\":"
                    + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + config + "\",\"size\":100},"
                    + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + layer
                    + "\",\"size\":" + MIB + "}]}";
            text(HttpRequest.newBuilder(base.resolve("/v2/soak/final/manifests/v1")).header("Content-Type", MANIFEST)
                    .PUT(HttpRequest.BodyPublishers.ofString(manifest)).build(), 201);
            text(HttpRequest.newBuilder(base.resolve("/v2/soak/final/manifests/v1")).header("Accept", MANIFEST)
                    .GET().build(), 200);
            text(HttpRequest.newBuilder(base.resolve("/v2/soak/final/manifests/v1")).header("Accept", MANIFEST)
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), 200);
            text(HttpRequest.newBuilder(base.resolve("/v2/soak/final/tags/list")).GET().build(), 200);
            text(HttpRequest.newBuilder(base.resolve("/v2/_catalog?n=100")).GET().build(), 200);
            String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(manifest.getBytes(StandardCharsets.UTF_8)));
            text(HttpRequest.newBuilder(base.resolve("/v2/soak/final/referrers/" + digest)).GET().build(), 200);
            text(HttpRequest.newBuilder(base.resolve("/v2/soak/final/manifests/" + digest)).DELETE().build(), 202);
            pull("soak/final", layer);
        } catch (Exception e) {
            System.err.println("every-kind phase: " + e);
            bad++;
        }
        return bad;
    }

    private static String digestOf(long seed, long size) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new Generated(seed, size)) {
            byte[] buf = new byte[(int) Math.min(MIB, size)];
            int n;
            while ((n = in.read(buf)) > 0) {
                sha.update(buf, 0, n);
            }
        }
        return "sha256:" + HexFormat.of().formatHex(sha.digest());
    }

    /** {@code size} bytes from {@code seed}: one random block, each copy stamped with its index. */
    static final class Generated extends InputStream {
        private final byte[] block;
        private final long size;
        private long position;

        Generated(long seed, long size) {
            block = new byte[(int) Math.min(MIB, Math.max(size, 16))];
            new SplittableRandom(seed).nextBytes(block);
            this.size = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= size) {
                return -1;
            }
            int inBlock = (int) (position % block.length);
            if (inBlock == 0 && block.length >= 8) {
                long index = position / block.length;
                for (int i = 0; i < 8; i++) {
                    block[i] = (byte) (index >>> (8 * i));
                }
            }
            int n = (int) Math.min(Math.min(len, block.length - inBlock), size - position);
            System.arraycopy(block, inBlock, b, off, n);
            position += n;
            return n;
        }
    }
}
