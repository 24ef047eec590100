package io.wharf.storage.s3;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.Part;

/**
 * Multipart uploads left in progress: by a writer that never closed (its instance crashed), or by Distribution,
 * whose writers close without completing. Found with {@code ListMultipartUploads} and {@code ListParts}, as
 * Distribution does, so that any instance can continue them; aborted when their path is deleted, so that their
 * parts are not kept (and billed) for ever.
 */
final class S3Uploads {
    private final S3Bucket bucket;
    private final MultipartCopy copier;

    S3Uploads(S3Bucket bucket, MultipartCopy copier) {
        this.bucket = bucket;
        this.copier = copier;
    }

    /**
     * A writer continuing the newest upload in progress for exactly this key, or empty when there is none. An
     * upload whose parts can all be followed by more (5 MiB or more, numbered 1..n) is continued as it is; one
     * whose last part is smaller (Distribution's after a close) is completed first and appended to as an object.
     */
    Optional<S3Writer> resume(String path, String key, int chunk) throws IOException {
        Optional<MultipartUpload> newest = uploadsAt(key, true).stream()
                .max(Comparator.comparing(MultipartUpload::initiated));
        if (newest.isEmpty()) {
            return Optional.empty();
        }
        String uploadId = newest.get().uploadId();
        List<Part> parts = parts(key, uploadId);
        long size = parts.stream().mapToLong(Part::size).sum();
        List<CompletedPart> completed = parts.stream()
                .map(p -> CompletedPart.builder().partNumber(p.partNumber()).eTag(p.eTag()).build()).toList();
        if (continuable(parts)) {
            return Optional.of(S3Writer.resuming(bucket, copier, path, key, chunk, uploadId, completed, size));
        }
        try {
            bucket.complete(key, uploadId, completed);
        } catch (SdkException e) {
            // Parts that cannot make an object (an empty upload, a small part in the middle) are dropped.
            bucket.abort(key, uploadId);
            return Optional.empty();
        }
        return Optional.of(S3Writer.appending(bucket, copier, path, key, chunk, size));
    }

    private static boolean continuable(List<Part> parts) {
        for (int i = 0; i < parts.size(); i++) {
            Part p = parts.get(i);
            if (p.partNumber() != i + 1 || p.size() < S3DriverOptions.MIN_PART_SIZE) {
                return false;
            }
        }
        return !parts.isEmpty();
    }

    /** Aborts every upload in progress for the key or for keys beneath it as a directory. */
    void abortAt(String key) {
        for (MultipartUpload u : uploadsAt(key, false)) {
            bucket.abort(u.key(), u.uploadId());
        }
    }

    /** Uploads for exactly the key, or (with {@code exact} false) also for the keys beneath {@code key + "/"}. */
    private List<MultipartUpload> uploadsAt(String key, boolean exact) {
        List<MultipartUpload> found = new ArrayList<>();
        String keyMarker = null;
        String uploadIdMarker = null;
        ListMultipartUploadsResponse page;
        do {
            String km = keyMarker;
            String um = uploadIdMarker;
            page = bucket.s3.listMultipartUploads(b -> b.bucket(bucket.name).prefix(key).keyMarker(km)
                    .uploadIdMarker(um));
            for (MultipartUpload u : page.uploads()) {
                if (u.key().equals(key) || (!exact && u.key().startsWith(key + "/"))) {
                    found.add(u);
                }
            }
            keyMarker = page.nextKeyMarker();
            uploadIdMarker = page.nextUploadIdMarker();
        } while (Boolean.TRUE.equals(page.isTruncated()));
        return found;
    }

    private List<Part> parts(String key, String uploadId) {
        List<Part> parts = new ArrayList<>();
        Integer marker = null;
        ListPartsResponse page;
        do {
            Integer m = marker;
            page = bucket.s3.listParts(b -> b.bucket(bucket.name).key(key).uploadId(uploadId).partNumberMarker(m));
            parts.addAll(page.parts());
            marker = page.nextPartNumberMarker();
        } while (Boolean.TRUE.equals(page.isTruncated()));
        parts.sort(Comparator.comparing(Part::partNumber));
        return parts;
    }
}
