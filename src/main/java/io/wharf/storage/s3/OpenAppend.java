package io.wharf.storage.s3;

import java.util.Map;
import java.util.Optional;

/**
 * How a file that is still being appended to is kept, so that each append sends only its own bytes and nothing
 * stored is copied again: its leading bytes are the parts {@code 1..parts} of a multipart upload left open at the
 * file's key, and its last bytes (fewer than S3's 5 MiB minimum part, so not yet a part) are the object at the key,
 * which names the upload in its user metadata. The object is written last, after the parts it counts, so it always
 * describes a whole file: parts uploaded after it by a writer that then died are beyond its count and ignored.
 *
 * <p>The file becomes an ordinary object ("materialised") when it is first read or moved: the tail is uploaded as
 * the last part and the upload completed at the key, which replaces this object in one step. An object without
 * these metadata is an ordinary file. Distribution, which keeps its own appends as an open upload without such an
 * object, cannot continue an upload in this state: it sees the parts without the tail, and its client is told the
 * upload's size does not match.
 *
 * @param uploadId the open upload
 * @param parts how many of its parts, numbered from 1, hold the file's leading bytes
 * @param partsSize their bytes in all
 */
record OpenAppend(String uploadId, int parts, long partsSize) {
    private static final String UPLOAD = "wharf-append-upload";
    private static final String PARTS = "wharf-append-parts";
    private static final String SIZE = "wharf-append-size";

    OpenAppend {
        if (uploadId.isEmpty() || parts < 1 || partsSize < parts * S3DriverOptions.MIN_PART_SIZE) {
            throw new IllegalArgumentException("not an open append: " + uploadId + " " + parts + " " + partsSize);
        }
    }

    /** The open append an object's user metadata describe, or empty for an ordinary object. */
    static Optional<OpenAppend> of(Map<String, String> metadata) {
        String uploadId = metadata.get(UPLOAD);
        if (uploadId == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new OpenAppend(uploadId, Integer.parseInt(metadata.getOrDefault(PARTS, "")),
                    Long.parseLong(metadata.getOrDefault(SIZE, ""))));
        } catch (IllegalArgumentException e) {
            // Written by no Wharf: the object is then read as what it is.
            return Optional.empty();
        }
    }

    /** The user metadata of the object that records this. */
    Map<String, String> metadata() {
        return Map.of(UPLOAD, uploadId, PARTS, Integer.toString(parts), SIZE, Long.toString(partsSize));
    }

    /** The file's size given the size of the object holding its tail. */
    long fileSize(long tailSize) {
        return partsSize + tailSize;
    }
}
