package io.wharf.storage.s3;

import io.wharf.storage.PathNotFoundException;
import io.wharf.storage.StorageUnavailableException;
import java.io.IOException;
import java.io.InterruptedIOException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Runs SDK calls so that their unchecked exceptions become the driver's checked ones: a missing key becomes
 * {@link PathNotFoundException}, anything else an {@link IOException} naming the path, with the SDK's exception
 * as the cause.
 */
final class S3Calls {
    /** One SDK call. */
    @FunctionalInterface
    interface Call<T> {
        T run() throws IOException;
    }

    private S3Calls() {
    }

    static <T> T call(String path, Call<T> call) throws IOException {
        try {
            return call.run();
        } catch (SdkException e) {
            throw translate(path, e);
        }
    }

    /** The driver's exception for an SDK failure concerning the path. */
    static IOException translate(String path, SdkException e) {
        if (e instanceof NoSuchKeyException) {
            return new PathNotFoundException(path);
        }
        if (e instanceof AbortedException) {
            InterruptedIOException interrupted = new InterruptedIOException("S3 request interrupted: " + path);
            interrupted.initCause(e);
            return interrupted;
        }
        if (unavailable(e)) {
            return new StorageUnavailableException("S3 is unavailable (" + e.getMessage() + ")", path, e);
        }
        return new IOException("S3 request failed for " + path + ": " + e.getMessage(), e);
    }

    /** Whether S3 could not be reached, answered 5xx or asked to slow down, rather than refusing this call. */
    static boolean unavailable(SdkException e) {
        if (e instanceof S3Exception s3) {
            return s3.statusCode() >= 500 || s3.statusCode() == 429;
        }
        // A transport failure (refused, reset, no answer, timed out, unknown host): S3 did not answer this call.
        for (Throwable c = e.getCause(); c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof java.io.IOException) {
                return true;
            }
        }
        return false;
    }

    /** Whether the exception says the key (not the bucket or an upload) does not exist. */
    static boolean isMissingKey(SdkException e) {
        return e instanceof NoSuchKeyException
                || (e instanceof S3Exception s3 && s3.statusCode() == 404 && !isNoSuchBucket(s3));
    }

    private static boolean isNoSuchBucket(S3Exception e) {
        return e.awsErrorDetails() != null && "NoSuchBucket".equals(e.awsErrorDetails().errorCode());
    }

    /** Whether the exception is S3's answer to a range that starts beyond the end of the object. */
    static boolean isInvalidRange(SdkException e) {
        return e instanceof S3Exception s3 && s3.statusCode() == 416;
    }
}
