package io.wharf.http;

import io.wharf.spec.ErrorCode;
import io.wharf.spec.RegistryException;

/** Refuses a declared {@code Content-Length} no registry could store, before a byte of the body is read. */
final class BodyLimitStep implements Step {
    /** 1 TiB: far above any layer, far below what a lying header can claim. */
    static final long MAX_BODY_BYTES = 1L << 40;

    @Override
    public void apply(Exchange exchange, Chain next) throws Exception {
        long declared = exchange.contentLength();
        if (declared > MAX_BODY_BYTES) {
            throw new RegistryException(ErrorCode.SIZE_INVALID, "Content-Length " + declared
                    + " is more than the largest body Wharf accepts (" + MAX_BODY_BYTES + " bytes, 1 TiB)");
        }
        next.proceed(exchange);
    }
}
