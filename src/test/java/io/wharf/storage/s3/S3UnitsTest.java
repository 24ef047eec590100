package io.wharf.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The S3 driver's pure parts: keys, endpoints, copy part bounds, option limits. */
class S3UnitsTest {
    private static final long MIB = 1024 * 1024;

    @ParameterizedTest(name = "root \"{0}\", path {1} -> key \"{2}\", directory prefix \"{3}\"")
    @CsvSource(delimiter = '|', value = {
        "''               | /docker/x | docker/x          | docker/x/",
        "/registry        | /docker/x | registry/docker/x | registry/docker/x/",
        "registry/        | /a        | registry/a        | registry/a/",
        "//deep/prefix//  | /a/b      | deep/prefix/a/b   | deep/prefix/a/b/",
    })
    void keys_areRootDirectoryPlusPathWithoutLeadingSlash(String root, String path, String key, String prefix) {
        S3Keys keys = new S3Keys(root);

        assertThat(keys.key(path)).isEqualTo(key);
        assertThat(keys.dirPrefix(path)).isEqualTo(prefix);
        assertThat(keys.path(key)).isEqualTo(path);
    }

    @Test
    void keys_rootPath_isTheRootPrefix() {
        assertThat(new S3Keys("").dirPrefix("/")).isEmpty();
        assertThat(new S3Keys("/r").dirPrefix("/")).isEqualTo("r/");
    }

    private static S3Connection connection(String region, String endpoint, boolean secure) {
        return new S3Connection(region, endpoint, false, secure, false, "AK", "SECRET", "", 8);
    }

    @ParameterizedTest(name = "{0} secure={1} -> {2}")
    @CsvSource({
        "minio.local:9000, false, http://minio.local:9000",
        "minio.local:9000, true, https://minio.local:9000",
        "http://minio.local:9000, true, http://minio.local:9000",
        "https://s3.example.com, false, https://s3.example.com",
    })
    void endpoint_withoutSchemeTakesOneFromSecure(String endpoint, boolean secure, String expected) {
        assertThat(connection("eu-west-1", endpoint, secure).endpoint()).contains(URI.create(expected));
    }

    @Test
    void endpoint_awsIsTheSdksOwnUnlessInsecure() {
        assertThat(connection("eu-west-1", "", true).endpoint()).isEmpty();
        assertThat(connection("eu-west-1", "", false).endpoint())
                .contains(URI.create("http://s3.eu-west-1.amazonaws.com"));
        assertThat(connection("", "minio:9000", true).signingRegion()).isEqualTo("us-east-1");
    }

    @Test
    void connection_toStringHidesTheSecretKey() {
        assertThat(connection("r", "", true).toString()).contains("AK", "<hidden>").doesNotContain("SECRET");
    }

    @Test
    void copyBounds_partsOfTheChunkWithTheRemainderInTheLast() {
        assertThat(MultipartCopy.bounds(17 * MIB + 5, 5 * MIB)).containsExactly(0, 5 * MIB, 10 * MIB, 17 * MIB + 5);
        assertThat(MultipartCopy.bounds(6 * MIB, 32 * MIB)).containsExactly(0, 6 * MIB);
        assertThat(MultipartCopy.bounds(1, 32 * MIB)).containsExactly(0, 1);
    }

    @Test
    void copyBounds_neverMoreThanTheCopyPartLimitNorAPartOverFiveGibibytes() {
        long huge = 5L * 1024 * 1024 * MIB; // 5 TiB, S3's largest object
        long[] bounds = MultipartCopy.bounds(huge, 5 * MIB);
        assertThat(bounds.length - 1).isLessThanOrEqualTo(MultipartCopy.MAX_COPY_PARTS + 1);
        for (int i = 0; i + 1 < bounds.length; i++) {
            long part = bounds[i + 1] - bounds[i];
            assertThat(part).isBetween(S3DriverOptions.MIN_PART_SIZE, S3DriverOptions.MAX_PART_SIZE);
        }
        long[] split = MultipartCopy.bounds(9L * 1024 * MIB, S3DriverOptions.MAX_PART_SIZE);
        assertThat(split).containsExactly(0, 4608 * MIB, 9L * 1024 * MIB);
    }

    @Test
    void options_outsideS3sLimits_areRefused() {
        S3DriverOptions ok = S3DriverOptions.defaults("b", "");
        assertThatThrownBy(() -> ok.withChunkSize(5 * MIB - 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ok.withMultipartCopy(4 * MIB, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ok.withMultipartCopy(5 * MIB, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> S3DriverOptions.defaults("", "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void partBuffer_growsSmallAndRecyclesWholeParts() throws Exception {
        PartMemory pool = new PartMemory(1 << 20, 2, java.time.Duration.ofSeconds(5));
        PartBuffer small = new PartBuffer(pool, "/p");
        small.append(java.nio.ByteBuffer.wrap(new byte[1000]), 1000);
        assertThat(small.array().length).as("a small file costs no whole part").isLessThan(1 << 20);
        small.release();

        PartBuffer large = new PartBuffer(pool, "/p");
        byte[] piece = new byte[64 * 1024];
        for (int i = 0; i < 11; i++) { // as a request body arrives: the array doubles until it would be a part
            piece[piece.length - 1] = (byte) i;
            large.append(java.nio.ByteBuffer.wrap(piece), piece.length);
        }
        byte[] whole = large.array();
        assertThat(whole).hasSize(1 << 20);
        assertThat(whole[11 * 64 * 1024 - 1]).as("content kept while growing").isEqualTo((byte) 10);
        assertThat(whole[64 * 1024 - 1]).isEqualTo((byte) 0);
        large.release();

        PartBuffer next = new PartBuffer(pool, "/p");
        next.reserveWholePart();
        assertThat(next.array()).as("the released part, reused").isSameAs(whole);
        assertThat(next.length()).isZero();
        PartBuffer another = new PartBuffer(pool, "/p");
        another.reserveWholePart();
        assertThat(another.array()).as("a new part when the pool is empty").isNotSameAs(whole).hasSize(1 << 20);
    }

    @Test
    void partMemory_allPartsInUse_aWriterWaitsForOneThenGetsIt() throws Exception {
        PartMemory memory = new PartMemory(1 << 20, 1, java.time.Duration.ofSeconds(30));
        PartBuffer first = new PartBuffer(memory, "/first");
        first.reserveWholePart();
        PartBuffer second = new PartBuffer(memory, "/second");
        var waiting = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                second.reserveWholePart();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        while (memory.waiting() == 0) {
            Thread.onSpinWait();
        }
        assertThat(waiting).isNotDone();

        first.release();

        waiting.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(second.array()).hasSize(1 << 20);
    }

    @Test
    void partMemory_noPartFreeInTime_failsAsUnavailableAndReleasingTwiceFreesOnce() throws Exception {
        PartMemory memory = new PartMemory(1 << 20, 1, java.time.Duration.ofMillis(50));
        PartBuffer holder = new PartBuffer(memory, "/holder");
        holder.reserveWholePart();

        assertThatThrownBy(() -> new PartBuffer(memory, "/late").reserveWholePart())
                .isInstanceOf(io.wharf.storage.StorageUnavailableException.class).hasMessageContaining("/late");
        holder.release();
        holder.release();
        PartBuffer next = new PartBuffer(memory, "/next");
        next.reserveWholePart();
        assertThatThrownBy(() -> new PartBuffer(memory, "/third").reserveWholePart())
                .as("the second release gave nothing back").isInstanceOf(io.wharf.storage.StorageUnavailableException.class);
    }

    @Test
    void openAppend_roundTripsThroughMetadata_andIgnoresWhatNoWharfWrote() {
        OpenAppend open = new OpenAppend("upload-1", 2, 12L << 20);

        assertThat(OpenAppend.of(open.metadata())).contains(open);
        assertThat(open.fileSize(1000)).isEqualTo((12L << 20) + 1000);
        assertThat(OpenAppend.of(java.util.Map.of())).isEmpty();
        assertThat(OpenAppend.of(java.util.Map.of("wharf-append-upload", "x", "wharf-append-parts", "two",
                "wharf-append-size", "1"))).isEmpty();
        assertThat(OpenAppend.of(java.util.Map.of("wharf-append-upload", "x", "wharf-append-parts", "2",
                "wharf-append-size", "1"))).as("parts smaller than S3 allows").isEmpty();
    }
}
