package io.wharf.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.storage.FileWriter;
import io.wharf.storage.StorageException;
import io.wharf.testing.S3Server;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/** What the S3 driver does beyond the common contract: appends that send no byte twice, memory, copies, URLs. */
class S3DriverBehaviourTest {
    private static final int MIB = 1024 * 1024;
    private static final String BUCKET = "wharf-behaviour";
    private static final String ROOT = "dist-root";

    @TempDir
    static Path tempDir;
    private static S3Server server;
    private static S3Client raw;

    private final List<S3Driver> drivers = new ArrayList<>();
    private String dir;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3Server.start(tempDir);
        server.createBucket(BUCKET);
        raw = S3DriverTest.connection(server).client();
    }

    @AfterAll
    static void stopServer() throws Exception {
        raw.close();
        server.close();
    }

    @BeforeEach
    void pickDirectory() {
        dir = "/t-" + UUID.randomUUID().toString().replace("-", "");
    }

    @AfterEach
    void closeDrivers() {
        drivers.forEach(S3Driver::close);
        assertThat(raw.listMultipartUploads(b -> b.bucket(BUCKET)).uploads()).as("uploads left in progress").isEmpty();
    }

    /** Counts the bytes a client sends as object or part bodies, and names the operations it calls. */
    static final class Traffic implements ExecutionInterceptor {
        final AtomicLong uploaded = new AtomicLong();
        final List<String> operations = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            SdkRequest request = context.request();
            operations.add(request.getClass().getSimpleName().replace("Request", ""));
            if (request instanceof UploadPartRequest part) {
                uploaded.addAndGet(part.contentLength());
            } else if (request instanceof PutObjectRequest put) {
                uploaded.addAndGet(put.contentLength());
            }
        }
    }

    /** A driver of its own (as another registry instance would have) whose traffic is counted. */
    private S3Driver instance(Traffic traffic, S3DriverOptions options) {
        S3Connection connection = S3DriverTest.connection(server);
        S3Driver driver = new S3Driver(connection.client(List.of(traffic)), connection.presigner(), options);
        drivers.add(driver);
        return driver;
    }

    private static S3DriverOptions options() {
        return S3DriverOptions.defaults(BUCKET, ROOT).withChunkSize(5 * MIB);
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static void append(S3Driver driver, String path, byte[] bytes, long expectedStart) throws Exception {
        try (FileWriter w = driver.writer(path, true)) {
            assertThat(w.size()).isEqualTo(expectedStart);
            w.write(bytes, 0, bytes.length);
            w.commit();
        }
    }

    /** The one multipart upload in progress at the key. */
    private static String openUpload(String key) {
        var uploads = raw.listMultipartUploads(b -> b.bucket(BUCKET).prefix(key)).uploads();
        assertThat(uploads).hasSize(1);
        return uploads.get(0).uploadId();
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    @Test
    void appendOnAnotherInstance_chunkedUpload_copiesNothingAndResendsOnlyTheTail() throws Exception {
        Traffic first = new Traffic();
        Traffic second = new Traffic();
        S3Driver a = instance(first, options());
        S3Driver b = instance(second, options());
        String path = dir + "/_uploads/id/data";
        byte[] chunk1 = random(10 * MIB, 1);
        byte[] chunk2 = random(7 * MIB, 2);
        byte[] chunk3 = random(MIB + 3, 3);

        append(a, path, chunk1, 0);
        append(b, path, chunk2, chunk1.length);
        append(a, path, chunk3, chunk1.length + chunk2.length);

        assertThat(b.stat(path).size()).isEqualTo(chunk1.length + chunk2.length + chunk3.length);
        // chunk1 is two whole parts; 2 MiB of chunk2 stay behind as the tail, which a sends again with chunk3.
        assertThat(second.uploaded.get()).as("bytes instance b sent").isEqualTo(chunk2.length);
        assertThat(first.uploaded.get()).as("bytes instance a sent")
                .isEqualTo(chunk1.length + 2 * MIB + chunk3.length);
        assertThat(first.operations).doesNotContain("UploadPartCopy", "CompleteMultipartUpload");
        assertThat(second.operations).doesNotContain("UploadPartCopy", "CompleteMultipartUpload");
        assertThat(b.getContent(path)).isEqualTo(concat(chunk1, chunk2, chunk3));
    }

    @Test
    void appendManyChunks_eachSendsAtMostItsBytesPlusATail_andTheFileReadsWhole() throws Exception {
        Traffic traffic = new Traffic();
        S3Driver driver = instance(traffic, options());
        String path = dir + "/_uploads/many/data";
        List<byte[]> chunks = new ArrayList<>();
        long size = 0;
        for (int i = 0; i < 12; i++) {
            byte[] chunk = random(3 * MIB + 1000 * i, 20 + i);
            append(driver, path, chunk, size);
            chunks.add(chunk);
            size += chunk.length;
        }

        assertThat(traffic.uploaded.get()).as("bytes sent").isLessThan(size + 12L * 5 * MIB);
        assertThat(traffic.operations).doesNotContain("UploadPartCopy", "CompleteMultipartUpload");
        try (InputStream in = driver.reader(path, 5 * MIB + 7)) {
            byte[] all = concat(chunks.toArray(byte[][]::new));
            assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(all, 5 * MIB + 7, all.length));
        }
        assertThat(driver.stat(path).size()).isEqualTo(size);
    }

    @Test
    void appendAfterAWriterDiedBeforeItsTail_ignoresAndReplacesThePartsItLeft() throws Exception {
        S3Driver driver = instance(new Traffic(), options());
        String path = dir + "/_uploads/died/data";
        String key = ROOT + path;
        byte[] chunk1 = random(6 * MIB, 30);
        append(driver, path, chunk1, 0);
        String uploadId = openUpload(key);
        // What a writer that died after uploading its part, before storing the tail object, leaves behind.
        raw.uploadPart(r -> r.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(2),
                RequestBody.fromBytes(random(5 * MIB, 31)));
        byte[] chunk2 = random(2 * MIB, 32);

        assertThat(driver.stat(path).size()).isEqualTo(chunk1.length);
        append(driver, path, chunk2, chunk1.length);

        assertThat(driver.getContent(path)).isEqualTo(concat(chunk1, chunk2));
    }

    @Test
    void read_openAppendWhoseUploadWasAborted_failsInsteadOfServingTheTail() throws Exception {
        S3Driver driver = instance(new Traffic(), options());
        String path = dir + "/_uploads/aborted/data";
        String key = ROOT + path;
        append(driver, path, random(6 * MIB, 40), 0);
        String uploadId = openUpload(key);
        raw.abortMultipartUpload(r -> r.bucket(BUCKET).key(key).uploadId(uploadId));

        assertThatThrownBy(() -> driver.reader(path, 0)).isInstanceOf(StorageException.class)
                .hasMessageContaining("gone or incomplete");
        assertThatThrownBy(() -> driver.move(path, dir + "/elsewhere")).isInstanceOf(StorageException.class);
        driver.delete(path);
    }

    @Test
    void appendToASmallFile_readsItBackIntoThePartAndStoresOneObject() throws Exception {
        Traffic traffic = new Traffic();
        S3Driver driver = instance(traffic, options());
        String path = dir + "/small";
        byte[] start = random(100_000, 4);
        byte[] more = random(50_000, 5);
        driver.putContent(path, start);

        append(driver, path, more, start.length);

        assertThat(driver.getContent(path)).isEqualTo(concat(start, more));
        assertThat(traffic.operations).contains("GetObject").doesNotContain("CreateMultipartUpload");
    }

    @Test
    void appendToAnUploadLeftInProgress_continuesItsParts() throws Exception {
        Traffic traffic = new Traffic();
        S3Driver driver = instance(traffic, options());
        String path = dir + "/crashed";
        String key = ROOT + path;
        byte[] part1 = random(5 * MIB, 6);
        String uploadId = raw.createMultipartUpload(r -> r.bucket(BUCKET).key(key)).uploadId();
        raw.uploadPart(r -> r.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(1), RequestBody.fromBytes(part1));
        byte[] more = random(3 * MIB, 7);

        append(driver, path, more, part1.length);

        assertThat(driver.getContent(path)).isEqualTo(concat(part1, more));
        // The tail goes up twice: in the tail object, then as the last part when the file is first read.
        assertThat(traffic.uploaded.get()).isEqualTo(2L * more.length);
        assertThat(traffic.operations).doesNotContain("UploadPartCopy", "CreateMultipartUpload");
        assertThat(traffic.operations.stream().filter("CompleteMultipartUpload"::equals)).hasSize(1);
    }

    @Test
    void appendToADistributionUploadWithASmallLastPart_completesItThenAppends() throws Exception {
        S3Driver driver = instance(new Traffic(), options());
        String path = dir + "/distribution";
        String key = ROOT + path;
        byte[] part1 = random(5 * MIB, 8);
        byte[] part2 = random(MIB, 9);
        String uploadId = raw.createMultipartUpload(r -> r.bucket(BUCKET).key(key)).uploadId();
        raw.uploadPart(r -> r.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(1), RequestBody.fromBytes(part1));
        raw.uploadPart(r -> r.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(2), RequestBody.fromBytes(part2));
        byte[] more = random(2 * MIB, 10);

        append(driver, path, more, part1.length + part2.length);

        assertThat(driver.getContent(path)).isEqualTo(concat(part1, part2, more));
    }

    @Test
    void delete_directoryWithAnUploadInProgress_abortsTheUpload() throws Exception {
        S3Driver driver = instance(new Traffic(), options());
        driver.putContent(dir + "/_uploads/id/startedat", new byte[] {1});
        String key = ROOT + dir + "/_uploads/id/data";
        raw.createMultipartUpload(r -> r.bucket(BUCKET).key(key));

        driver.delete(dir + "/_uploads");

        // closeDrivers checks that no upload is left.
        assertThat(driver.list("/")).doesNotContain(dir);
    }

    @Test
    void writer_twoHundredMebibytes_holdsOnePartInMemory() throws Exception {
        S3DriverOptions options = options().withChunkSize(8 * MIB);
        S3Driver driver = instance(new Traffic(), options);
        String path = dir + "/large";
        long size = 200L * MIB;
        byte[] chunk = new byte[64 * 1024];
        Random random = new Random(11);
        MessageDigest written = MessageDigest.getInstance("SHA-256");
        long baseline = heapUsedAfterGc();
        long peak = 0;
        try (FileWriter w = driver.writer(path, false)) {
            for (long done = 0; done < size; done += chunk.length) {
                random.nextBytes(chunk);
                written.update(chunk);
                w.write(chunk, 0, chunk.length);
                if ((done + chunk.length) % (40L * MIB) == 36L * MIB % (40L * MIB)) {
                    peak = Math.max(peak, heapUsedAfterGc() - baseline);
                }
            }
            w.commit();
        }

        // A driver keeping the blob would hold 36 MiB and more at the first sample; one part buffer is 8 MiB.
        assertThat(peak).as("heap growth while writing").isLessThan(24L * MIB);
        assertThat(driver.stat(path).size()).isEqualTo(size);
        MessageDigest read = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(driver.reader(path, 0), read)) {
            assertThat(in.transferTo(OutputStream.nullOutputStream())).isEqualTo(size);
        }
        assertThat(HexFormat.of().formatHex(read.digest())).isEqualTo(HexFormat.of().formatHex(written.digest()));
    }

    private static long heapUsedAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void move_aboveTheThreshold_copiesInPartsOnTheServer() throws Exception {
        Traffic traffic = new Traffic();
        S3Driver driver = instance(traffic, options().withMultipartCopy(5 * MIB, 2, 6 * MIB));
        byte[] content = random(17 * MIB + 5, 12);
        driver.putContent(dir + "/src", content);
        long sentBefore = traffic.uploaded.get();
        traffic.operations.clear();

        driver.move(dir + "/src", dir + "/deep/dst");

        assertThat(traffic.uploaded.get()).isEqualTo(sentBefore);
        assertThat(traffic.operations.stream().filter("UploadPartCopy"::equals)).hasSize(3);
        assertThat(driver.getContent(dir + "/deep/dst")).isEqualTo(content);
        assertThat(driver.list(dir)).containsExactly(dir + "/deep");
    }

    @Test
    void redirectUrl_file_isAPresignedGetThatAPlainHttpClientCanFetch() throws Exception {
        S3Driver driver = instance(new Traffic(), options());
        byte[] content = random(70_000, 13);
        driver.putContent(dir + "/blob", content);

        URI url = driver.redirectUrl(dir + "/blob", Duration.ofMinutes(20)).orElseThrow();

        assertThat(url.toString()).startsWith(server.endpoint() + "/" + BUCKET + "/" + ROOT + dir + "/blob?")
                .contains("X-Amz-Expires=1200");
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(url).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(content);
            HttpResponse<byte[]> tampered = http.send(HttpRequest.newBuilder(URI.create(url.toString()
                    .replace("/blob?", "/other?"))).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(tampered.statusCode()).isEqualTo(403);
        }
    }

    @Test
    void redirectUrl_missingFileOrDirectory_isEmpty() throws Exception {
        S3Driver driver = instance(new Traffic(), options());
        driver.putContent(dir + "/sub/file", new byte[] {1});

        assertThat(driver.redirectUrl(dir + "/missing", Duration.ofMinutes(20))).isEmpty();
        assertThat(driver.redirectUrl(dir + "/sub", Duration.ofMinutes(20))).isEmpty();
    }

    @Test
    void keys_areRootDirectoryPlusPath_asDistributionWritesThem() throws Exception {
        S3Driver driver = instance(new Traffic(), S3DriverOptions.defaults(BUCKET, "/" + ROOT + "/"));
        String link = dir + "/docker/registry/v2/repositories/library/alpine/_manifests/tags/latest/current/link";
        driver.putContent(link, "sha256:abc".getBytes());
        raw.putObject(r -> r.bucket(BUCKET).key(ROOT + dir + "/docker/registry/v2/blobs/sha256/ab/abcd/data"),
                RequestBody.fromString("blob"));

        assertThat(raw.getObjectAsBytes(r -> r.bucket(BUCKET).key(ROOT + link)).asUtf8String()).isEqualTo("sha256:abc");
        assertThat(driver.getContent(dir + "/docker/registry/v2/blobs/sha256/ab/abcd/data")).asString()
                .isEqualTo("blob");
        assertThat(driver.list(dir + "/docker/registry/v2")).containsExactly(
                dir + "/docker/registry/v2/blobs", dir + "/docker/registry/v2/repositories");
        driver.delete(dir);
    }
}
