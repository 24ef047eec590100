package io.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.junit.jupiter.api.Test;

class TransferBuffersTest {
    private final TransferBuffers buffers =
            new TransferBuffers(new ArrayByteBufferPool(), 3L * TransferBuffers.LARGE + 100);

    @Test
    void largePartsGetLargeBuffersWhileTheBudgetLasts_thenBaseOnes() {
        List<RetainableByteBuffer> lent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            lent.add(buffers.forPart(1L << 30));
        }
        assertThat(lent).allSatisfy(b -> assertThat(b.capacity()).isEqualTo(TransferBuffers.LARGE));
        RetainableByteBuffer beyond = buffers.forPart(1L << 30);
        assertThat(beyond.capacity()).isEqualTo(TransferBuffers.BASE);
        assertThat(buffers.largeAvailable()).isZero();

        buffers.release(beyond);
        assertThat(buffers.largeAvailable()).isZero();
        buffers.release(lent.remove(0));
        assertThat(buffers.largeAvailable()).isEqualTo(1);
        assertThat(buffers.forPart(TransferBuffers.BASE + 1L).capacity()).isEqualTo(TransferBuffers.LARGE);
    }

    @Test
    void aPartThatFitsTheBaseSizeNeverTakesALargeBuffer() {
        RetainableByteBuffer small = buffers.forPart(TransferBuffers.BASE);
        assertThat(small.capacity()).isEqualTo(TransferBuffers.BASE);
        assertThat(buffers.largeAvailable()).isEqualTo(3);
        buffers.release(small);
        assertThat(buffers.largeAvailable()).isEqualTo(3);
    }
}
