package io.wharf.storage.fs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.storage.FileInfo;
import io.wharf.storage.FileWriter;
import io.wharf.storage.InvalidPathException;
import io.wharf.storage.StorageDriver;
import io.wharf.storage.StorageDriverContract;
import io.wharf.storage.WalkVisitor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesystemDriverTest extends StorageDriverContract {
    @TempDir
    Path tempDir;

    private Path fsRoot;
    private FilesystemDriver fs;

    @Override
    protected StorageDriver newDriver() throws IOException {
        // The root sits one level below the temporary directory so that escapes land somewhere visible.
        fsRoot = tempDir.resolve("root");
        fs = new FilesystemDriver(fsRoot);
        return fs;
    }

    /** After the sub-root is gone the disk holds the empty root and nothing else, not even a temp file. */
    @Override
    protected void assertNothingLeftBehind() throws IOException {
        assertThat(filesUnder(tempDir)).containsExactly(tempDir, fsRoot);
    }

    private static List<Path> filesUnder(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void hostileInput_neverCreatesAnythingOutsideTheRoot() throws IOException {
        driver.putContent(path("file"), new byte[] {1});
        List<String> hostile = List.of("/", "/..", "/../escape", "/a/../../escape", "//escape", "/..%2fescape",
                "\\..\\escape", "../escape", "/" + tempDir.resolve("escape"), "/escape/\u0000", "/./escape");
        for (String p : hostile) {
            attemptEverything(p);
        }

        try (Stream<Path> s = Files.list(tempDir)) {
            assertThat(s.toList()).containsExactly(fsRoot);
        }
        assertThat(filesUnder(fsRoot)).containsExactly(
                fsRoot, fsRoot.resolve(root.substring(1)), fsRoot.resolve(path("file").substring(1)));
    }

    private void attemptEverything(String p) {
        List<ThrowingCall> calls = List.of(
                () -> driver.putContent(p, new byte[] {2}),
                () -> driver.writer(p, true).close(),
                () -> driver.move(path("file"), p),
                () -> driver.move(p, path("moved")),
                () -> driver.delete(p),
                () -> driver.getContent(p),
                () -> driver.reader(p, 0).close());
        for (ThrowingCall call : calls) {
            assertThatThrownBy(call::run).as("%s", p).isInstanceOf(IOException.class);
        }
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws IOException;
    }

    @Test
    void listAndWalk_staleTempFileFromACrash_isNeverShown() throws IOException {
        driver.putContent(path("dir/file"), new byte[] {1});
        Files.write(fsRoot.resolve(path("dir").substring(1)).resolve(FilesystemDriver.TEMP_PREFIX + "stale"),
                new byte[] {9});

        assertThat(driver.list(path("dir"))).containsExactly(path("dir/file"));
        List<String> walked = new ArrayList<>();
        driver.walk(root, info -> {
            walked.add(info.path());
            return WalkVisitor.Next.CONTINUE;
        });
        assertThat(walked).containsExactly(path("dir"), path("dir/file"));
    }

    @Test
    void list_duringConcurrentPutContent_neverShowsATempFile() throws Exception {
        String dir = path("dir");
        driver.putContent(path("dir/file-0"), new byte[] {0});
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean writing = new AtomicBoolean(true);
        try (ExecutorService pool = Executors.newFixedThreadPool(5)) {
            List<Future<?>> writers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String file = path("dir/file-" + i);
                writers.add(pool.submit(() -> {
                    start.await();
                    for (int n = 0; n < 200; n++) {
                        driver.putContent(file, new byte[4096]);
                    }
                    return null;
                }));
            }
            Future<Integer> lister = pool.submit(() -> {
                start.await();
                int lists = 0;
                while (writing.get() || lists == 0) {
                    assertThat(driver.list(dir)).allSatisfy(p -> assertThat(p).matches(".*/file-[0-3]"));
                    lists++;
                }
                return lists;
            });
            start.countDown();
            for (Future<?> w : writers) {
                w.get(60, TimeUnit.SECONDS);
            }
            writing.set(false);
            assertThat(lister.get(60, TimeUnit.SECONDS)).isPositive();
        }
    }

    @Test
    void localFile_file_isTheRealPathBelowTheRoot() throws IOException {
        driver.putContent(path("dir/file"), new byte[] {1, 2});

        Path local = driver.localFile(path("dir/file")).orElseThrow();

        assertThat(local).isEqualTo(fsRoot.resolve(root.substring(1)).resolve("dir").resolve("file"));
        assertThat(Files.readAllBytes(local)).containsExactly(1, 2);
    }

    @Test
    void localFile_directoryOrMissingPath_isEmpty() throws IOException {
        driver.putContent(path("dir/file"), new byte[] {1});

        assertThat(driver.localFile(path("dir"))).isEmpty();
        assertThat(driver.localFile(path("missing"))).isEmpty();
        assertThat(driver.localFile("/")).isEmpty();
    }

    @Test
    void putContent_file_isAPlainFileAtRootPlusPathAsInDistribution() throws IOException {
        String p = path("docker/registry/v2/repositories/library/alpine/_manifests/tags/latest/current/link");
        driver.putContent(p, "sha256:abc".getBytes(UTF_8));

        Path onDisk = fsRoot.resolve(p.substring(1));
        assertThat(Files.isRegularFile(onDisk)).isTrue();
        assertThat(Files.readString(onDisk)).isEqualTo("sha256:abc");
    }

    @Test
    void blobsOnAnotherDisk_throughASymlinkedDirectory_areWrittenStattedAndMoved(@TempDir Path otherDisk)
            throws IOException {
        // Operators move the blob store to a bigger disk with a symlink; Distribution follows it (os.Stat).
        Path elsewhere = Files.createDirectories(otherDisk.resolve("blobs"));
        Path link = fsRoot.resolve(path("docker/registry/v2/blobs").substring(1));
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, elsewhere);
        try (FileWriter w = driver.writer(path("docker/registry/v2/uploads/u1/data"), false)) {
            w.write(ByteBuffer.wrap("blob".getBytes(UTF_8)));
        }

        driver.move(path("docker/registry/v2/uploads/u1/data"), path("docker/registry/v2/blobs/sha256/ab/abcd/data"));

        assertThat(driver.stat(path("docker/registry/v2/blobs")).directory()).isTrue();
        assertThat(driver.stat(path("docker/registry/v2/blobs/sha256/ab/abcd/data")).size()).isEqualTo(4);
        assertThat(Files.readString(elsewhere.resolve("sha256/ab/abcd/data"))).isEqualTo("blob");
        assertThatThrownBy(() -> driver.writer(path("docker/registry/v2/blobs"), false))
                .isInstanceOf(InvalidPathException.class);
    }

    @Test
    void filesWrittenByDistribution_areReadListedAndStatted() throws IOException {
        Path data = fsRoot.resolve(root.substring(1)).resolve("docker/registry/v2/blobs/sha256/ab/abcd/data");
        Files.createDirectories(data.getParent());
        Files.writeString(data, "blob");

        String p = path("docker/registry/v2/blobs/sha256/ab/abcd/data");
        assertThat(driver.getContent(p)).asString(UTF_8).isEqualTo("blob");
        assertThat(driver.list(path("docker/registry/v2/blobs/sha256/ab"))).containsExactly(
                path("docker/registry/v2/blobs/sha256/ab/abcd"));
        FileInfo info = driver.stat(p);
        assertThat(info.size()).isEqualTo(4);
        assertThat(info.directory()).isFalse();
    }

    @Test
    void writer_commit_leavesAPlainFileWithoutTempSiblings() throws IOException {
        try (FileWriter w = driver.writer(path("_uploads/id/data"), false)) {
            w.write(new byte[] {1, 2, 3}, 0, 3);
            w.commit();
        }

        try (Stream<Path> s = Files.list(fsRoot.resolve(path("_uploads/id").substring(1)))) {
            assertThat(s.map(f -> f.getFileName().toString()).toList()).containsExactly("data");
        }
    }
}
