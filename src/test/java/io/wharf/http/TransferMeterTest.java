package io.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The per-request rate judgement, driven by an injected clock and byte counts (nothing is streamed). */
class TransferMeterTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long KIB = 1024;

    @Test
    void clientTricklingBelowTheRate_isTooSlowOnceAWindowOfWaitingHasPassed() {
        TransferMeter meter = new TransferMeter(KIB, 10 * SECOND);
        long t = 0;
        for (int i = 0; i < 9; i++) {
            meter.waitStarted(t);
            t += SECOND;
            meter.waitEnded(t, 10);
            assertThat(meter.tooSlow(t)).as("after %d s", i + 1).isFalse();
        }
        meter.waitStarted(t);
        t += SECOND;
        assertThat(meter.tooSlow(t)).isTrue();
    }

    @Test
    void steadyThinLink_atOneMebibytePerSecond_isNeverCut() {
        TransferMeter meter = new TransferMeter(KIB, 10 * SECOND);
        long t = 0;
        for (int i = 0; i < 3_600; i++) {
            meter.waitStarted(t);
            t += SECOND;
            meter.waitEnded(t, 1024 * KIB);
            assertThat(meter.tooSlow(t)).isFalse();
        }
    }

    @Test
    void timeTheServerSpendsOnItsOwnWork_doesNotCount() {
        TransferMeter meter = new TransferMeter(KIB, 10 * SECOND);
        meter.waitStarted(0);
        meter.waitEnded(SECOND, 64 * KIB);
        // An hour hashing or waiting on a lock: nothing pending on the client.
        assertThat(meter.tooSlow(3_600 * SECOND)).isFalse();
    }

    @Test
    void volumesFarPast2To34Bytes_andAYearOfUptime_neitherOverflowNorTripTheGuard() {
        TransferMeter meter = new TransferMeter(KIB, 10 * SECOND);
        long t = 365L * 24 * 3_600 * SECOND;
        for (int i = 0; i < 1_000; i++) {
            meter.waitStarted(t);
            t += 11 * SECOND;
            meter.waitEnded(t, 1L << 40);
            meter.moved(Long.MAX_VALUE / 2);
            assertThat(meter.tooSlow(t)).isFalse();
        }
    }

    @Test
    void clockReadingsThatWrapAroundLongMax_areStillMeasuredAsDifferences() {
        TransferMeter meter = new TransferMeter(KIB, 10 * SECOND);
        long t = Long.MAX_VALUE - 5 * SECOND;
        meter.waitStarted(t);
        t += 11 * SECOND; // wraps to a negative reading
        assertThat(t).isNegative();
        assertThat(meter.tooSlow(t)).isTrue();
    }

    @Test
    void aFastStart_doesNotBuyCreditForALaterStall() {
        TransferMeter meter = new TransferMeter(KIB, 10 * SECOND);
        meter.waitStarted(0);
        meter.waitEnded(10 * SECOND, 1L << 30);
        assertThat(meter.tooSlow(10 * SECOND)).isFalse();
        meter.waitStarted(10 * SECOND);
        assertThat(meter.tooSlow(21 * SECOND)).isTrue();
    }

    @Test
    void hugeMinimumRates_doNotOverflowTheRequiredByteCount() {
        TransferMeter meter = new TransferMeter(Long.MAX_VALUE / 2, SECOND);
        meter.waitStarted(0);
        meter.waitEnded(3 * SECOND, 1L << 40);
        assertThat(meter.tooSlow(3 * SECOND)).isTrue();
    }

    @Test
    void rateZero_turnsTheCheckOff() {
        TransferMeter meter = new TransferMeter(0, SECOND);
        meter.waitStarted(0);
        assertThat(meter.tooSlow(1_000 * SECOND)).isFalse();
    }
}
