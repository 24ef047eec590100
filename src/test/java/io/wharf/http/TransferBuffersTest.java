package io.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.junit.jupiter.api.Test;

class TransferBuffersTest {
    /** A quarter of it makes two huge buffers, the rest 24 large ones. */
    private final TransferBuffers buffers =
            new TransferBuffers(new ArrayByteBufferPool(), 8L * TransferBuffers.HUGE + 100);

    private TransferBuffers threeLargeOnly() {
        return new TransferBuffers(new ArrayByteBufferPool(), 3L * TransferBuffers.LARGE + 100);
    }

    @Test
    void budgetSplitsIntoAQuarterOfHugeBuffersAndLargeOnesForTheRest() {
        assertThat(buffers.hugeAvailable()).isEqualTo(2);
        assertThat(buffers.largeAvailable()).isEqualTo(24);
    }

    @Test
    void largePartsGetHugeBuffersFirst_thenLargeOnes_thenBaseOnes() {
        TransferBuffers small = new TransferBuffers(new ArrayByteBufferPool(), 4L * TransferBuffers.HUGE);
        assertThat(small.hugeAvailable()).isEqualTo(1);
        assertThat(small.largeAvailable()).isEqualTo(12);
        List<RetainableByteBuffer> lent = new ArrayList<>();
        lent.add(small.forPart(1L << 30));
        assertThat(lent.get(0).capacity()).isEqualTo(TransferBuffers.HUGE);
        for (int i = 0; i < 12; i++) {
            lent.add(small.forPart(1L << 30));
        }
        assertThat(lent.subList(1, 13)).allSatisfy(b -> assertThat(b.capacity()).isEqualTo(TransferBuffers.LARGE));
        RetainableByteBuffer beyond = small.forPart(1L << 30);
        assertThat(beyond.capacity()).isEqualTo(TransferBuffers.BASE);

        small.release(beyond);
        assertThat(small.hugeAvailable()).isZero();
        assertThat(small.largeAvailable()).isZero();
        small.release(lent.remove(0));
        assertThat(small.hugeAvailable()).isEqualTo(1);
        small.release(lent.remove(0));
        assertThat(small.largeAvailable()).isEqualTo(1);
        lent.forEach(small::release);
        assertThat(small.hugeAvailable()).isEqualTo(1);
        assertThat(small.largeAvailable()).isEqualTo(12);
    }

    @Test
    void aPartNoLargerThanALargeStepNeverTakesAHugeBuffer() {
        RetainableByteBuffer part = buffers.forPart(TransferBuffers.LARGE);
        assertThat(part.capacity()).isEqualTo(TransferBuffers.LARGE);
        assertThat(buffers.hugeAvailable()).isEqualTo(2);
        buffers.release(part);
        assertThat(buffers.largeAvailable()).isEqualTo(24);
    }

    @Test
    void largePartsGetLargeBuffersWhileTheBudgetLasts_thenBaseOnes() {
        TransferBuffers three = threeLargeOnly();
        assertThat(three.hugeAvailable()).isZero();
        List<RetainableByteBuffer> lent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            lent.add(three.forPart(1L << 30));
        }
        assertThat(lent).allSatisfy(b -> assertThat(b.capacity()).isEqualTo(TransferBuffers.LARGE));
        RetainableByteBuffer beyond = three.forPart(1L << 30);
        assertThat(beyond.capacity()).isEqualTo(TransferBuffers.BASE);
        assertThat(three.largeAvailable()).isZero();

        three.release(beyond);
        assertThat(three.largeAvailable()).isZero();
        three.release(lent.remove(0));
        assertThat(three.largeAvailable()).isEqualTo(1);
        assertThat(three.forPart(TransferBuffers.BASE + 1L).capacity()).isEqualTo(TransferBuffers.LARGE);
    }

    @Test
    void aPartThatFitsTheBaseSizeNeverTakesALargeBuffer() {
        TransferBuffers three = threeLargeOnly();
        RetainableByteBuffer small = three.forPart(TransferBuffers.BASE);
        assertThat(small.capacity()).isEqualTo(TransferBuffers.BASE);
        assertThat(three.largeAvailable()).isEqualTo(3);
        three.release(small);
        assertThat(three.largeAvailable()).isEqualTo(3);
    }
}
