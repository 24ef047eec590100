package io.wharf.storage.s3;

import io.wharf.storage.StorageException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Exception;

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
    Optional<S3Writer> resume(String path, String key, PartMemory memory) throws IOException {
        Optional<MultipartUpload> newest = uploadsAt(key, true).stream()
                .max(Comparator.comparing(MultipartUpload::initiated));
        if (newest.isEmpty()) {
            return Optional.empty();
        }
        String uploadId = newest.get().uploadId();
        List<Part> parts = parts(key, uploadId);
        long size = parts.stream().mapToLong(Part::size).sum();
        if (continuable(parts)) {
            return Optional.of(S3Writer.continuing(bucket, copier, path, key, memory,
                    new OpenAppend(uploadId, parts.size(), size), 0));
        }
        try {
            bucket.complete(key, uploadId, completed(parts));
        } catch (SdkException e) {
            // Parts that cannot make an object (an empty upload, a small part in the middle) are dropped.
            bucket.abort(key, uploadId);
            return Optional.empty();
        }
        return Optional.of(S3Writer.appending(bucket, copier, path, key, memory, size));
    }

    /**
     * Makes an open append the ordinary object it describes: its tail becomes the last part and the upload is
     * completed at the key, replacing the tail object in one step. Returns without change when the tail object no
     * longer names this upload (another process finished it first); the caller reads the key again.
     *
     * @throws StorageException when the upload's parts are not those the tail object counts (the upload was
     *     aborted, for example by a bucket lifecycle rule, and the file's leading bytes are gone)
     */
    void materialise(String path, String key, OpenAppend open) throws IOException {
        List<CompletedPart> counted = new ArrayList<>(open.parts() + 1);
        long size = 0;
        try {
            for (Part p : parts(key, open.uploadId())) {
                if (p.partNumber() == counted.size() + 1 && counted.size() < open.parts()) {
                    counted.add(completed(p));
                    size += p.size();
                }
            }
        } catch (SdkException e) {
            if (!isNoSuchUpload(e)) {
                throw e;
            }
            if (stillOpen(key, open)) {
                throw incomplete(path, open, 0);
            }
            return;
        }
        if (counted.size() != open.parts() || size != open.partsSize()) {
            throw incomplete(path, open, counted.size());
        }
        try (ResponseInputStream<GetObjectResponse> tail = bucket.s3.getObject(b -> b.bucket(bucket.name).key(key))) {
            if (!open.equals(OpenAppend.of(tail.response().metadata()).orElse(null))) {
                tail.abort();
                return;
            }
            byte[] bytes = tail.readAllBytes(); // fewer than 5 MiB: a tail is never a whole part
            if (bytes.length > 0) {
                counted.add(bucket.uploadPart(key, open.uploadId(), counted.size() + 1, bytes, bytes.length));
            }
        }
        try {
            bucket.complete(key, open.uploadId(), counted);
        } catch (SdkException e) {
            // Completed by another process since the parts were listed: the key then holds the whole file.
            if (!isNoSuchUpload(e)) {
                throw e;
            }
        }
    }

    private static boolean isNoSuchUpload(SdkException e) {
        return e instanceof NoSuchUploadException || (e instanceof S3Exception s3 && s3.statusCode() == 404);
    }

    private static StorageException incomplete(String path, OpenAppend open, int found) {
        return new StorageException("the upload holding the file's first " + open.partsSize()
                + " bytes is gone or incomplete (" + found + " of " + open.parts() + " parts found)", path);
    }

    private boolean stillOpen(String key, OpenAppend open) {
        return bucket.head(key).flatMap(h -> OpenAppend.of(h.metadata())).filter(open::equals).isPresent();
    }

    private static List<CompletedPart> completed(List<Part> parts) {
        return parts.stream().map(S3Uploads::completed).toList();
    }

    private static CompletedPart completed(Part p) {
        return CompletedPart.builder().partNumber(p.partNumber()).eTag(p.eTag()).build();
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
