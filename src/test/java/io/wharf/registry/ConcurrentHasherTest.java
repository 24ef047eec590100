package io.wharf.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;

class ConcurrentHasherTest {

    private static MessageDigest sha256() throws Exception {
        return MessageDigest.getInstance("SHA-256");
    }

    @Test
    void digestEqualsHashingInline_forPartsOfEverySize_afterBytesHashedBeforeTheStart() throws Exception {
        Random random = new Random(11);
        byte[] body = new byte[3 * 1024 * 1024 + 5];
        random.nextBytes(body);
        MessageDigest inline = sha256();
        inline.update(body);

        MessageDigest running = sha256();
        int head = 100_000;
        running.update(body, 0, head);
        Semaphore slots = new Semaphore(1);
        byte[] buf = new byte[64 * 1024];
        Set<byte[]> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        MessageDigest result;
        try (ConcurrentHasher beside = ConcurrentHasher.start(running, buf.length, slots).orElseThrow()) {
            for (int off = head; off < body.length; ) {
                int n = Math.min(1 + random.nextInt(buf.length), body.length - off);
                System.arraycopy(body, off, buf, 0, n);
                off += n;
                buf = beside.hand(buf, n);
                seen.add(buf);
                assertThat(buf).hasSize(64 * 1024);
            }
            result = beside.finish();
        }

        assertThat(result.digest()).isEqualTo(inline.digest());
        assertThat(seen).as("buffers in circulation, the caller's own included").hasSize(ConcurrentHasher.DEPTH);
        assertThat(slots.availablePermits()).isEqualTo(1);
    }

    @Test
    void withoutAPermit_theCallerHashesInline() throws Exception {
        Semaphore slots = new Semaphore(1);
        try (ConcurrentHasher first = ConcurrentHasher.start(sha256(), 1024, slots).orElseThrow()) {
            assertThat(ConcurrentHasher.start(sha256(), 1024, slots)).isEmpty();
        }
        assertThat(ConcurrentHasher.start(sha256(), 1024, slots)).isPresent().get()
                .satisfies(ConcurrentHasher::close);
        assertThat(slots.availablePermits()).isEqualTo(1);
    }

    @Test
    void closedWithoutFinishing_afterAFailedBody_stopsItsThreadAndGivesThePermitBack() throws Exception {
        Semaphore slots = new Semaphore(2);
        ConcurrentHasher beside = ConcurrentHasher.start(sha256(), 1024, slots).orElseThrow();
        beside.hand(new byte[1024], 1024);
        assertThat(slots.availablePermits()).isEqualTo(1);
        assertThat(beside.hashing()).isTrue();

        beside.close();

        assertThat(slots.availablePermits()).isEqualTo(2);
        assertThat(beside.hashing()).as("its thread still running").isFalse();
    }
}
