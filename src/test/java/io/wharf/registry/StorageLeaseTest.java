package io.wharf.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.storage.fs.FilesystemDriver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lease records survive the storage as written, and files this server did not write are read as no lease. */
class StorageLeaseTest {
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    @TempDir
    Path root;

    private StorageLease lease(Instant now) throws java.io.IOException {
        return new StorageLease(new FilesystemDriver(root), new ObjectMapper(), Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void aServersLease_readsBackAsWritten_untilItExpires() throws Exception {
        StorageLease.Server self = new StorageLease.Server("host-a", 4242, 1_700_000_000_000L, "fp");
        lease(NOW).holdServer("s1", "wharf serve pid 4242 on host-a", "http://a:5000", Duration.ofMinutes(2), self);

        assertThat(lease(NOW).liveServers(null)).containsExactly(new StorageLease.Record(
                "wharf serve pid 4242 on host-a", "http://a:5000", NOW.plus(Duration.ofMinutes(2)).toEpochMilli(),
                self));
        assertThat(lease(NOW).liveServers("s1")).isEmpty();
        assertThat(lease(NOW.plus(Duration.ofMinutes(3))).liveServers(null)).isEmpty();
    }

    @Test
    void aLock_hasNoServer() throws Exception {
        lease(NOW).holdGcLock("wharf garbage-collect pid 7", Duration.ofMinutes(1));

        assertThat(lease(NOW).liveGcLock()).contains(new StorageLease.Record("wharf garbage-collect pid 7", "",
                NOW.plus(Duration.ofMinutes(1)).toEpochMilli(), null));
        lease(NOW).releaseGcLock();
        assertThat(lease(NOW).liveGcLock()).isEmpty();
    }

    @Test
    void anOlderOrForeignRecord_isReadByTheFieldsItHas() throws Exception {
        long expires = NOW.plusSeconds(60).toEpochMilli();
        put(StorageLayout.lease("old"), "{\"owner\":\"old wharf\",\"url\":\"\",\"expiresAt\":" + expires
                + ",\"comment\":\"a field this version does not know\"}");
        put(StorageLayout.lease("torn"), "{\"owner\":\"half writ");
        put(StorageLayout.lease("odd"), "[1, 2, 3]");

        assertThat(lease(NOW).liveServers(null))
                .containsExactly(new StorageLease.Record("old wharf", "", expires, null));
    }

    private void put(String path, String content) throws Exception {
        new FilesystemDriver(root).putContent(path, content.getBytes(StandardCharsets.UTF_8));
    }
}
