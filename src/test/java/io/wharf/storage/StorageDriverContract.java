package io.wharf.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract every {@link StorageDriver} must meet, after CNCF Distribution's driver test suite.
 * A driver's test extends this class and supplies {@link #newDriver()}.
 *
 * <p>Each test works below its own random sub-root, so the suite also holds for a driver shared
 * between tests (an object store). After each test the sub-root is deleted and the driver must
 * list exactly what it listed before the test: nothing may be created outside the sub-root, and
 * nothing may survive the deletion of a directory.
 */
public abstract class StorageDriverContract {
    private static final int MIB = 1024 * 1024;

    protected StorageDriver driver;
    /** This test's sub-root, e.g. {@code /contract-1f3a...}. */
    protected String root;
    private List<String> listedBefore;

    /** A driver to test; a fresh one per test, or a shared one (the suite uses its own sub-root). */
    protected abstract StorageDriver newDriver() throws Exception;

    /** Size of the large streamed write; drivers that keep files in the heap may lower it. */
    protected long largeFileSize() {
        return 64L * MIB;
    }

    /**
     * Driver-specific checks run after the sub-root was deleted, e.g. that no temporary file is
     * left on disk. Does nothing by default.
     */
    protected void assertNothingLeftBehind() throws Exception {
    }

    @BeforeEach
    final void createDriverAndSubRoot() throws Exception {
        driver = newDriver();
        root = "/contract-" + UUID.randomUUID().toString().replace("-", "");
        listedBefore = driver.list("/");
    }

    @AfterEach
    final void deleteSubRootAndCheckNothingIsLeft() throws Exception {
        try {
            driver.delete(root);
        } catch (PathNotFoundException e) {
            // The test never wrote anything, or deleted its sub-root itself.
        }
        assertThatThrownBy(() -> driver.stat(root)).isInstanceOf(PathNotFoundException.class);
        assertThat(driver.list("/")).as("entries at the driver root after the test").isEqualTo(listedBefore);
        assertNothingLeftBehind();
    }

    /** A path below this test's sub-root. */
    protected String path(String relative) {
        return root + "/" + relative;
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private byte[] readAll(String path, long offset) throws IOException {
        try (InputStream in = driver.reader(path, offset)) {
            return in.readAllBytes();
        }
    }

    private void write(String path, boolean append, byte[] content) throws IOException {
        try (FileWriter w = driver.writer(path, append)) {
            w.write(content, 0, content.length);
            w.commit();
        }
    }

    // ---- getContent / putContent ----

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 4096, MIB})
    void putContent_anySize_getContentReturnsTheSameBytes(int size) throws IOException {
        // Random bytes cover every byte value, so no driver may treat content as text.
        byte[] content = randomBytes(size, size);
        driver.putContent(path("file"), content);

        assertThat(driver.getContent(path("file"))).isEqualTo(content);
        assertThat(driver.stat(path("file")).size()).isEqualTo(size);
    }

    @Test
    void putContent_existingFile_replacesTheWholeContent() throws IOException {
        driver.putContent(path("file"), "a much longer first value".getBytes(UTF_8));
        driver.putContent(path("file"), "short".getBytes(UTF_8));

        assertThat(driver.getContent(path("file"))).asString(UTF_8).isEqualTo("short");
    }

    @Test
    void putContent_deepPath_createsTheParentDirectories() throws IOException {
        driver.putContent(path("a/b/c/file"), new byte[] {1});

        assertThat(driver.stat(path("a/b")).directory()).isTrue();
        assertThat(driver.list(path("a/b"))).containsExactly(path("a/b/c"));
    }

    @Test
    void putContent_callerChangesArrayAfterwards_storedContentIsUnchanged() throws IOException {
        byte[] content = {1, 2, 3};
        driver.putContent(path("file"), content);
        content[0] = 9;

        assertThat(driver.getContent(path("file"))).containsExactly(1, 2, 3);
    }

    @Test
    void putContent_pathIsADirectory_throwsInvalidPathAndKeepsTheDirectory() throws IOException {
        driver.putContent(path("dir/file"), new byte[] {1});

        assertThatThrownBy(() -> driver.putContent(path("dir"), new byte[] {2}))
                .isInstanceOf(InvalidPathException.class);
        assertThat(driver.getContent(path("dir/file"))).containsExactly(1);
        assertThat(driver.list(root)).containsExactly(path("dir"));
    }

    @Test
    void putContent_beneathAFile_throwsInvalidPathAndKeepsTheFile() throws IOException {
        driver.putContent(path("file"), new byte[] {1});

        assertThatThrownBy(() -> driver.putContent(path("file/child"), new byte[] {2}))
                .isInstanceOf(InvalidPathException.class);
        assertThat(driver.stat(path("file")).directory()).isFalse();
        assertThat(driver.getContent(path("file"))).containsExactly(1);
    }

    @Test
    void getContent_missingFile_throwsPathNotFound() {
        assertThatThrownBy(() -> driver.getContent(path("missing")))
                .isInstanceOf(PathNotFoundException.class)
                .extracting(e -> ((StorageException) e).path()).isEqualTo(path("missing"));
    }

    @Test
    void getContent_directoryOrBeneathAFile_throwsPathNotFound() throws IOException {
        driver.putContent(path("dir/file"), new byte[] {1});

        assertThatThrownBy(() -> driver.getContent(path("dir"))).isInstanceOf(PathNotFoundException.class);
        assertThatThrownBy(() -> driver.getContent(path("dir/file/x"))).isInstanceOf(PathNotFoundException.class);
    }

    @Test
    void putContent_eightThreadsToOnePath_readersAndTheEndStateSeeOneCompleteValue() throws Exception {
        String file = path("contended");
        int threads = 8;
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i <= threads; i++) {
            // Every value differs in every byte and in length, so a mix or a truncation shows.
            byte[] v = new byte[256 * 1024 + i];
            Arrays.fill(v, (byte) i);
            values.add(v);
        }
        driver.putContent(file, values.get(threads));
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean writing = new AtomicBoolean(true);
        try (ExecutorService pool = Executors.newFixedThreadPool(threads + 1)) {
            List<Future<?>> writers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                byte[] v = values.get(i);
                writers.add(pool.submit(() -> {
                    start.await();
                    driver.putContent(file, v);
                    return null;
                }));
            }
            Future<Integer> reader = pool.submit(() -> {
                start.await();
                int reads = 0;
                while (writing.get() || reads == 0) {
                    assertThat(driver.getContent(file)).isIn(values);
                    reads++;
                }
                return reads;
            });
            start.countDown();
            for (Future<?> w : writers) {
                w.get(60, TimeUnit.SECONDS);
            }
            writing.set(false);
            assertThat(reader.get(60, TimeUnit.SECONDS)).isPositive();
        }
        assertThat(driver.getContent(file)).isIn(values.subList(0, threads));
        assertThat(driver.list(root)).containsExactly(file);
    }

    // ---- reader ----

    @Test
    void reader_offsets_returnTheRestOfTheFile() throws IOException {
        byte[] content = randomBytes(10_000, 1);
        driver.putContent(path("file"), content);

        assertThat(readAll(path("file"), 0)).isEqualTo(content);
        assertThat(readAll(path("file"), 1)).isEqualTo(Arrays.copyOfRange(content, 1, 10_000));
        assertThat(readAll(path("file"), 4321)).isEqualTo(Arrays.copyOfRange(content, 4321, 10_000));
        assertThat(readAll(path("file"), 9_999)).containsExactly(content[9_999]);
    }

    @Test
    void reader_offsetAtTheEnd_returnsAnEmptyStream() throws IOException {
        driver.putContent(path("file"), new byte[] {1, 2, 3});
        driver.putContent(path("empty"), new byte[0]);

        assertThat(readAll(path("file"), 3)).isEmpty();
        assertThat(readAll(path("empty"), 0)).isEmpty();
    }

    @Test
    void reader_offsetBeyondTheEndOrNegative_throwsInvalidOffset() throws IOException {
        driver.putContent(path("file"), new byte[] {1, 2, 3});

        assertThatThrownBy(() -> driver.reader(path("file"), 4)).isInstanceOf(InvalidOffsetException.class);
        assertThatThrownBy(() -> driver.reader(path("file"), Long.MAX_VALUE)).isInstanceOf(InvalidOffsetException.class);
        assertThatThrownBy(() -> driver.reader(path("file"), -1)).isInstanceOf(InvalidOffsetException.class);
    }

    @Test
    void reader_missingFileOrDirectory_throwsPathNotFound() throws IOException {
        driver.putContent(path("dir/file"), new byte[] {1});

        assertThatThrownBy(() -> driver.reader(path("missing"), 0)).isInstanceOf(PathNotFoundException.class);
        assertThatThrownBy(() -> driver.reader(path("dir"), 0)).isInstanceOf(PathNotFoundException.class);
        assertThatThrownBy(() -> driver.reader(path("dir/file/x"), 0)).isInstanceOf(PathNotFoundException.class);
    }

    // ---- writer ----

    @Test
    void writer_appendAcrossThreeWriters_resumesWhereThePreviousStopped() throws IOException {
        byte[] content = randomBytes(3 * 70_000, 7);
        for (int part = 0; part < 3; part++) {
            try (FileWriter w = driver.writer(path("upload"), true)) {
                assertThat(w.size()).isEqualTo(part * 70_000L);
                w.write(content, part * 70_000, 70_000);
                assertThat(w.size()).isEqualTo((part + 1) * 70_000L);
                if (part == 2) {
                    w.commit();
                }
            }
        }

        assertThat(driver.getContent(path("upload"))).isEqualTo(content);
    }

    @Test
    void writer_zeroBytesCommitted_createsAnEmptyFileThatCanBeAppendedTo() throws IOException {
        write(path("file"), false, new byte[0]);
        assertThat(driver.stat(path("file")).size()).isZero();

        write(path("file"), true, new byte[] {5, 6});
        assertThat(driver.getContent(path("file"))).containsExactly(5, 6);
    }

    @Test
    void writer_withoutAppend_truncatesTheExistingFile() throws IOException {
        driver.putContent(path("file"), "old content, longer".getBytes(UTF_8));

        try (FileWriter w = driver.writer(path("file"), false)) {
            assertThat(w.size()).isZero();
            w.write(ByteBuffer.wrap("new".getBytes(UTF_8)));
            w.commit();
        }

        assertThat(driver.getContent(path("file"))).asString(UTF_8).isEqualTo("new");
    }

    @Test
    void writer_sizeCountsSlicesAndBuffers() throws IOException {
        try (FileWriter w = driver.writer(path("file"), false)) {
            w.write(new byte[] {0, 1, 2, 3, 4}, 1, 3);
            ByteBuffer buffer = ByteBuffer.wrap(new byte[] {9, 8, 7, 6});
            buffer.position(2);
            w.write(buffer);
            assertThat(buffer.hasRemaining()).isFalse();
            assertThat(w.size()).isEqualTo(5);
            w.commit();
        }

        assertThat(driver.getContent(path("file"))).containsExactly(1, 2, 3, 7, 6);
    }

    @Test
    void writer_commit_makesTheContentReadableAndClosesTheWriter() throws IOException {
        FileWriter w = driver.writer(path("file"), false);
        w.write(new byte[] {1, 2}, 0, 2);
        w.commit();

        assertThat(driver.getContent(path("file"))).containsExactly(1, 2);
        assertThatThrownBy(() -> w.write(new byte[] {3}, 0, 1)).isInstanceOf(IOException.class);
        assertThatThrownBy(w::commit).isInstanceOf(IOException.class);
        w.close();
        assertThat(driver.getContent(path("file"))).containsExactly(1, 2);
    }

    @Test
    void writer_cancel_removesTheFileIncludingEarlierContent() throws IOException {
        driver.putContent(path("dir/file"), new byte[] {1, 2});
        driver.putContent(path("dir/sibling"), new byte[] {3});

        try (FileWriter w = driver.writer(path("dir/file"), true)) {
            w.write(new byte[] {4}, 0, 1);
            w.cancel();
        }

        assertThatThrownBy(() -> driver.stat(path("dir/file"))).isInstanceOf(PathNotFoundException.class);
        assertThat(driver.list(path("dir"))).containsExactly(path("dir/sibling"));
    }

    @Test
    void writer_closedWithoutCommit_keepsWhatWasWritten() throws IOException {
        try (FileWriter w = driver.writer(path("file"), false)) {
            w.write(new byte[] {1, 2, 3}, 0, 3);
        }

        assertThat(driver.getContent(path("file"))).containsExactly(1, 2, 3);
        try (FileWriter w = driver.writer(path("file"), true)) {
            assertThat(w.size()).isEqualTo(3);
        }
    }

    @Test
    void writer_rootDirectoryOrBeneathAFile_throwsInvalidPath() throws IOException {
        driver.putContent(path("dir/file"), new byte[] {1});

        assertThatThrownBy(() -> driver.writer("/", true)).isInstanceOf(InvalidPathException.class);
        assertThatThrownBy(() -> driver.writer(path("dir"), false)).isInstanceOf(InvalidPathException.class);
        assertThatThrownBy(() -> driver.writer(path("dir/file/x"), true)).isInstanceOf(InvalidPathException.class);
        assertThat(driver.list(path("dir"))).containsExactly(path("dir/file"));
        assertThat(driver.getContent(path("dir/file"))).containsExactly(1);
    }

    @Test
    void writer_largeStreamInSmallBuffers_readsBackWithTheSameSizeAndDigest() throws Exception {
        long size = largeFileSize();
        byte[] chunk = new byte[64 * 1024];
        Random random = new Random(42);
        MessageDigest written = sha256();
        try (FileWriter w = driver.writer(path("large"), false)) {
            for (long done = 0; done < size; done += chunk.length) {
                random.nextBytes(chunk);
                int n = (int) Math.min(chunk.length, size - done);
                written.update(chunk, 0, n);
                w.write(chunk, 0, n);
            }
            assertThat(w.size()).isEqualTo(size);
            w.commit();
        }

        assertThat(driver.stat(path("large")).size()).isEqualTo(size);
        MessageDigest read = sha256();
        try (InputStream in = new DigestInputStream(driver.reader(path("large"), 0), read)) {
            assertThat(in.transferTo(OutputStream.nullOutputStream())).isEqualTo(size);
        }
        assertThat(HexFormat.of().formatHex(read.digest())).isEqualTo(HexFormat.of().formatHex(written.digest()));
    }

    @Test
    void writer_eightConcurrentWritersToDifferentFiles_eachFileHasItsOwnContent() throws Exception {
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                String file = path("dir/file-" + i);
                byte[] content = randomBytes(300_000, i);
                futures.add(pool.submit(() -> {
                    start.await();
                    try (FileWriter w = driver.writer(file, false)) {
                        for (int off = 0; off < content.length; off += 10_000) {
                            w.write(content, off, 10_000);
                        }
                        w.commit();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        for (int i = 0; i < threads; i++) {
            assertThat(driver.getContent(path("dir/file-" + i))).isEqualTo(randomBytes(300_000, i));
        }
    }

    private static MessageDigest sha256() throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256");
    }

    // ---- stat ----

    @Test
    void stat_file_reportsSizeModifiedTimeAndNotADirectory() throws IOException {
        // File systems keep coarse timestamps, so allow a little slack either side.
        Instant before = Instant.now().minusSeconds(2);
        driver.putContent(path("dir/file"), new byte[123]);
        Instant after = Instant.now().plusSeconds(2);

        FileInfo info = driver.stat(path("dir/file"));

        assertThat(info.path()).isEqualTo(path("dir/file"));
        assertThat(info.size()).isEqualTo(123);
        assertThat(info.directory()).isFalse();
        assertThat(info.modified()).isBetween(before, after);
    }

    @Test
    void stat_directory_reportsADirectoryOfSizeZero() throws IOException {
        Instant before = Instant.now().minusSeconds(2);
        driver.putContent(path("dir/file"), new byte[123]);
        Instant after = Instant.now().plusSeconds(2);

        FileInfo info = driver.stat(path("dir"));

        assertThat(info.path()).isEqualTo(path("dir"));
        assertThat(info.directory()).isTrue();
        assertThat(info.size()).isZero();
        assertThat(info.modified()).isBetween(before, after);
        assertThat(driver.stat("/").directory()).isTrue();
    }

    @Test
    void stat_missingPathOrAPrefixOfAName_throwsPathNotFound() throws IOException {
        driver.putContent(path("dir/file-long"), new byte[1]);

        assertThatThrownBy(() -> driver.stat(path("missing"))).isInstanceOf(PathNotFoundException.class);
        // "file" is a prefix of a name, not a directory: object-store drivers must not confuse the two.
        assertThatThrownBy(() -> driver.stat(path("dir/file"))).isInstanceOf(PathNotFoundException.class);
        assertThatThrownBy(() -> driver.stat(path("di"))).isInstanceOf(PathNotFoundException.class);
        assertThatThrownBy(() -> driver.stat(path("dir/file-long/x"))).isInstanceOf(PathNotFoundException.class);
    }

    // ---- list ----

    @Test
    void list_directory_returnsDirectChildrenAsFullPathsInLexicalOrder() throws IOException {
        for (String name : List.of("b", "a-x", "c/d", "c/e/f", "_z", "A", "a", "0")) {
            driver.putContent(path(name), new byte[] {1});
        }

        assertThat(driver.list(root)).containsExactly(
                path("0"), path("A"), path("_z"), path("a"), path("a-x"), path("b"), path("c"));
        assertThat(driver.list(path("c"))).containsExactly(path("c/d"), path("c/e"));
    }

    @Test
    void list_root_includesThisTestsSubRoot() throws IOException {
        driver.putContent(path("file"), new byte[] {1});

        List<String> expected = new ArrayList<>(listedBefore);
        expected.add(root);
        expected.sort(null);
        assertThat(driver.list("/")).isEqualTo(expected);
    }

    @Test
    void list_missingDirectoryFileOrPrefix_throwsPathNotFound() throws IOException {
        driver.putContent(path("dir/file"), new byte[] {1});

        assertThatThrownBy(() -> driver.list(path("missing"))).isInstanceOf(PathNotFoundException.class);
        assertThatThrownBy(() -> driver.list(path("dir/file"))).isInstanceOf(PathNotFoundException.class);
        assertThatThrownBy(() -> driver.list(path("di"))).isInstanceOf(PathNotFoundException.class);
    }

    // ---- move ----

    @Test
    void move_toANewDeepPath_createsDirectoriesAndRemovesTheSource() throws IOException {
        driver.putContent(path("src/file"), new byte[] {1, 2});
        driver.putContent(path("src/sibling"), new byte[] {3});

        driver.move(path("src/file"), path("x/y/z/file"));

        assertThat(driver.getContent(path("x/y/z/file"))).containsExactly(1, 2);
        assertThatThrownBy(() -> driver.stat(path("src/file"))).isInstanceOf(PathNotFoundException.class);
        assertThat(driver.list(path("src"))).containsExactly(path("src/sibling"));
    }

    @Test
    void move_ontoAnExistingFile_replacesIt() throws IOException {
        driver.putContent(path("src"), "new".getBytes(UTF_8));
        driver.putContent(path("dst"), "the old value".getBytes(UTF_8));

        driver.move(path("src"), path("dst"));

        assertThat(driver.getContent(path("dst"))).asString(UTF_8).isEqualTo("new");
        assertThat(driver.list(root)).containsExactly(path("dst"));
    }

    @Test
    void move_ontoItself_leavesTheFileUnchanged() throws IOException {
        driver.putContent(path("file"), new byte[] {1});

        driver.move(path("file"), path("file"));

        assertThat(driver.getContent(path("file"))).containsExactly(1);
    }

    @Test
    void move_missingSourceOrADirectory_throwsPathNotFoundAndCreatesNothing() throws IOException {
        driver.putContent(path("dir/file"), new byte[] {1});

        assertThatThrownBy(() -> driver.move(path("missing"), path("new/dst")))
                .isInstanceOf(PathNotFoundException.class);
        assertThatThrownBy(() -> driver.move(path("dir"), path("new/dst")))
                .isInstanceOf(PathNotFoundException.class);
        assertThat(driver.list(root)).containsExactly(path("dir"));
        assertThat(driver.list(path("dir"))).containsExactly(path("dir/file"));
    }

    @Test
    void move_ontoTheRootADirectoryOrBeneathAFile_throwsInvalidPathAndKeepsTheSource() throws IOException {
        driver.putContent(path("file"), new byte[] {1});
        driver.putContent(path("dir/other"), new byte[] {2});

        assertThatThrownBy(() -> driver.move(path("file"), "/")).isInstanceOf(InvalidPathException.class);
        assertThatThrownBy(() -> driver.move(path("file"), path("dir"))).isInstanceOf(InvalidPathException.class);
        assertThatThrownBy(() -> driver.move(path("dir/other"), path("file/x")))
                .isInstanceOf(InvalidPathException.class);
        assertThat(driver.getContent(path("file"))).containsExactly(1);
        assertThat(driver.list(path("dir"))).containsExactly(path("dir/other"));
    }

    // ---- delete ----

    @Test
    void delete_file_leavesItsSiblingsAndNamesSharingItsPrefix() throws IOException {
        driver.putContent(path("dir/a"), new byte[] {1});
        driver.putContent(path("dir/ab"), new byte[] {2});
        driver.putContent(path("dir/b"), new byte[] {3});

        driver.delete(path("dir/a"));

        assertThat(driver.list(path("dir"))).containsExactly(path("dir/ab"), path("dir/b"));
        assertThatThrownBy(() -> driver.getContent(path("dir/a"))).isInstanceOf(PathNotFoundException.class);
    }

    @Test
    void delete_directory_removesEverythingBeneathItAndNothingElse() throws IOException {
        for (String name : List.of("dir/a", "dir/sub/b", "dir/sub/deeper/c", "dir-sibling/d", "dirx")) {
            driver.putContent(path(name), new byte[] {1});
        }

        driver.delete(path("dir"));

        assertThat(driver.list(root)).containsExactly(path("dir-sibling"), path("dirx"));
        for (String gone : List.of("dir", "dir/a", "dir/sub", "dir/sub/deeper/c")) {
            assertThatThrownBy(() -> driver.stat(path(gone))).isInstanceOf(PathNotFoundException.class);
        }
    }

    @Test
    void delete_missingPath_throwsPathNotFound() throws IOException {
        driver.putContent(path("file"), new byte[] {1});

        assertThatThrownBy(() -> driver.delete(path("missing"))).isInstanceOf(PathNotFoundException.class);
        assertThatThrownBy(() -> driver.delete(path("fil"))).isInstanceOf(PathNotFoundException.class);
        assertThat(driver.list(root)).containsExactly(path("file"));
    }

    @Test
    void delete_root_throwsInvalidPathAndDeletesNothing() throws IOException {
        driver.putContent(path("file"), new byte[] {1});

        assertThatThrownBy(() -> driver.delete("/")).isInstanceOf(InvalidPathException.class);
        assertThat(driver.getContent(path("file"))).containsExactly(1);
    }

    // ---- walk ----

    private void createWalkTree() throws IOException {
        for (String name : List.of("c/3", "a/2/x", "b", "a/1")) {
            driver.putContent(path(name), name.getBytes(UTF_8));
        }
    }

    private List<String> walkFrom(String start, Function<FileInfo, WalkVisitor.Next> decide)
            throws IOException {
        List<String> visited = new ArrayList<>();
        driver.walk(start, info -> {
            visited.add(info.path() + (info.directory() ? "/" : "=" + info.size()));
            return decide.apply(info);
        });
        return visited;
    }

    @Test
    void walk_tree_visitsDepthFirstWithChildrenInLexicalOrder() throws IOException {
        createWalkTree();

        assertThat(walkFrom(root, info -> WalkVisitor.Next.CONTINUE)).containsExactly(
                path("a/"), path("a/1=3"), path("a/2/"), path("a/2/x=5"), path("b=1"), path("c/"), path("c/3=3"));
    }

    @Test
    void walk_skipSubtreeOnADirectory_skipsItsChildrenOnly() throws IOException {
        createWalkTree();

        assertThat(walkFrom(root, info -> info.path().equals(path("a"))
                ? WalkVisitor.Next.SKIP_SUBTREE : WalkVisitor.Next.CONTINUE))
                .containsExactly(path("a/"), path("b=1"), path("c/"), path("c/3=3"));
    }

    @Test
    void walk_skipSubtreeOnAFile_continuesWithTheNextEntry() throws IOException {
        createWalkTree();

        assertThat(walkFrom(path("a"), info -> info.directory()
                ? WalkVisitor.Next.CONTINUE : WalkVisitor.Next.SKIP_SUBTREE))
                .containsExactly(path("a/1=3"), path("a/2/"), path("a/2/x=5"));
    }

    @Test
    void walk_stop_endsTheWalkAfterTheCurrentEntry() throws IOException {
        createWalkTree();

        assertThat(walkFrom(root, info -> info.path().equals(path("a/2"))
                ? WalkVisitor.Next.STOP : WalkVisitor.Next.CONTINUE))
                .containsExactly(path("a/"), path("a/1=3"), path("a/2/"));
    }

    @Test
    void walk_fileOrEmptyResult_visitsNothingAndMissingPathThrows() throws IOException {
        createWalkTree();

        assertThat(walkFrom(path("b"), info -> WalkVisitor.Next.CONTINUE)).isEmpty();
        assertThatThrownBy(() -> driver.walk(path("missing"), info -> WalkVisitor.Next.CONTINUE))
                .isInstanceOf(PathNotFoundException.class);
    }

    @Test
    void walk_visitorThrows_theExceptionReachesTheCaller() throws IOException {
        createWalkTree();
        IOException failure = new IOException("visitor failed");

        assertThatThrownBy(() -> driver.walk(root, info -> {
            throw failure;
        })).isSameAs(failure);
    }

    // ---- walkFiles ----

    private java.util.Set<String> filesBelow(String start) throws IOException {
        java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        driver.walkFiles(start, info -> {
            assertThat(info.directory()).isFalse();
            assertThat(info.modified()).isAfter(Instant.EPOCH);
            assertThat(seen.add(info.path() + "=" + info.size())).as("visited once: %s", info.path()).isTrue();
        });
        return seen;
    }

    @Test
    void walkFiles_tree_visitsEveryFileOnceWithItsSize() throws IOException {
        createWalkTree();
        driver.putContent(path("a.b"), new byte[] {1, 2});

        assertThat(filesBelow(root)).containsExactlyInAnyOrder(
                path("a/1=3"), path("a/2/x=5"), path("a.b=2"), path("b=1"), path("c/3=3"));
        assertThat(filesBelow(path("a"))).containsExactlyInAnyOrder(path("a/1=3"), path("a/2/x=5"));
    }

    @Test
    void walkFiles_fileVisitsNothingAndMissingPathThrows() throws IOException {
        createWalkTree();

        assertThat(filesBelow(path("b"))).isEmpty();
        assertThatThrownBy(() -> driver.walkFiles(path("missing"), info -> { }))
                .isInstanceOf(PathNotFoundException.class);
        assertThatThrownBy(() -> driver.walkFiles(path("a/1/below"), info -> { }))
                .isInstanceOf(PathNotFoundException.class);
    }

    @Test
    void walkFiles_visitorThrows_theExceptionReachesTheCaller() throws IOException {
        createWalkTree();
        IOException failure = new IOException("visitor failed");

        assertThatThrownBy(() -> driver.walkFiles(root, info -> {
            throw failure;
        })).isSameAs(failure);
    }

    // ---- deleteFiles ----

    @Test
    void deleteFiles_removesTheFilesAndSkipsMissingPathsAndDirectories() throws IOException {
        for (String name : List.of("dir/a", "dir/ab", "dir/sub/c", "other/d")) {
            driver.putContent(path(name), new byte[] {1});
        }

        driver.deleteFiles(List.of(path("dir/a"), path("dir/missing"), path("dir/sub"), path("other/d"),
                path("nowhere/at/all")));

        assertThat(filesBelow(root)).containsExactlyInAnyOrder(path("dir/ab=1"), path("dir/sub/c=1"));
        assertThatThrownBy(() -> driver.getContent(path("other/d"))).isInstanceOf(PathNotFoundException.class);
        driver.deleteFiles(List.of());
    }

    @Test
    void deleteFiles_rootOrInvalidPath_throwsInvalidPathAndDeletesNothing() throws IOException {
        driver.putContent(path("file"), new byte[] {1});

        assertThatThrownBy(() -> driver.deleteFiles(List.of(path("file"), "/")))
                .isInstanceOf(InvalidPathException.class);
        assertThatThrownBy(() -> driver.deleteFiles(List.of(path("file"), path("a") + "/../b")))
                .isInstanceOf(InvalidPathException.class);
        assertThat(driver.getContent(path("file"))).containsExactly(1);
    }

    @Test
    void deleteFiles_moreThanOneObjectStorePage_deletesThemAll() throws Exception {
        List<String> files = new ArrayList<>();
        for (int i = 0; i < 1_005; i++) {
            files.add(path("many/" + (i % 7) + "/f" + i));
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            List<Future<?>> writes = new ArrayList<>();
            for (String f : files) {
                writes.add(pool.submit(() -> {
                    driver.putContent(f, new byte[] {7});
                    return null;
                }));
            }
            for (Future<?> w : writes) {
                w.get();
            }
        }
        driver.putContent(path("kept"), new byte[] {1});

        driver.deleteFiles(files);

        assertThat(filesBelow(root)).containsExactly(path("kept=1"));
    }

    // ---- invalid paths ----

    static Stream<String> invalidPaths() {
        return Stream.of("", "relative", "/a/../b", "/a/./b", "/..", "/.", "/a//b", "//", "/a/", "/a b",
                "/a\\b", "/%2e%2e", "/caf\u00e9", "/\u0430", "/\uff0e\uff0e", "/a\u0000b", "/a\nb", "/a:b");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @MethodSource("invalidPaths")
    void everyMethod_invalidPath_throwsInvalidPathAndCreatesNothing(String invalid) throws IOException {
        String valid = path("file");
        driver.putContent(valid, new byte[] {1});
        WalkVisitor visitAll = info -> WalkVisitor.Next.CONTINUE;

        List<ThrowingCall> calls = List.of(
                () -> driver.getContent(invalid),
                () -> driver.putContent(invalid, new byte[] {2}),
                () -> driver.reader(invalid, 0),
                () -> driver.writer(invalid, true).close(),
                () -> driver.writer(invalid, false).close(),
                () -> driver.stat(invalid),
                () -> driver.list(invalid),
                () -> driver.move(valid, invalid),
                () -> driver.move(invalid, valid),
                () -> driver.delete(invalid),
                () -> driver.walk(invalid, visitAll));
        for (ThrowingCall call : calls) {
            assertThatThrownBy(call::run).isInstanceOf(InvalidPathException.class);
        }

        assertThat(driver.localFile(invalid)).isEmpty();
        assertThat(driver.getContent(valid)).containsExactly(1);
        assertThat(driver.list(root)).containsExactly(valid);
        List<String> expected = new ArrayList<>(listedBefore);
        expected.add(root);
        expected.sort(null);
        assertThat(driver.list("/")).isEqualTo(expected);
    }

    @Test
    void everyMethod_nullPath_throwsInvalidPath() {
        assertThatThrownBy(() -> driver.getContent(null)).isInstanceOf(InvalidPathException.class);
        assertThatThrownBy(() -> driver.putContent(null, new byte[0])).isInstanceOf(InvalidPathException.class);
        assertThatThrownBy(() -> driver.stat(null)).isInstanceOf(InvalidPathException.class);
        assertThatThrownBy(() -> driver.delete(null)).isInstanceOf(InvalidPathException.class);
    }

    @Test
    void everyMethod_validUnusualNames_areAccepted() throws IOException {
        String name = path("a.b_c-D9/..x/.../-._");
        driver.putContent(name, new byte[] {1});

        assertThat(driver.getContent(name)).containsExactly(1);
        assertThat(driver.list(path("a.b_c-D9"))).containsExactly(path("a.b_c-D9/..x"));
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws IOException;
    }
}
