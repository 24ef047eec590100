package io.wharf.registry;

import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/** How a blob's bytes reach a client: chosen by the storage, carried out by the HTTP layer. */
public sealed interface BlobDelivery {
    /** The bytes are in a local file the server may send from (zero-copy). */
    record LocalFile(Path file) implements BlobDelivery {
    }

    /**
     * The bytes from the requested offset on, in memory (a small blob's content the store keeps): read-only, its
     * position at the offset.
     */
    record Bytes(ByteBuffer content) implements BlobDelivery {
    }

    /** The bytes come through this stream, positioned at the requested offset; the caller closes it. */
    record Stream(InputStream in) implements BlobDelivery {
    }

    /** The client fetches the bytes itself from this URL (an object store's presigned address). */
    record Redirect(URI location) implements BlobDelivery {
    }
}
