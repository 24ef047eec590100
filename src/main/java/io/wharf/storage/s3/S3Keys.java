package io.wharf.storage.s3;

/**
 * Maps driver paths to object keys as Distribution's s3-aws driver does: the key is the root directory followed by
 * the path, without a leading slash ({@code rootdirectory: /registry} and {@code /docker/x} give
 * {@code registry/docker/x}; no root directory gives {@code docker/x}). Directories are not objects: a directory is
 * the prefix {@code key + "/"} while some object starts with it.
 */
final class S3Keys {
    /** The root directory as a key prefix: empty, or ending in {@code /}. */
    private final String root;

    S3Keys(String rootDirectory) {
        String trimmed = strip(rootDirectory == null ? "" : rootDirectory);
        this.root = trimmed.isEmpty() ? "" : trimmed + "/";
    }

    private static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == '/') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == '/') {
            end--;
        }
        return s.substring(start, end);
    }

    /** The key of a checked path other than the root. */
    String key(String path) {
        return root + path.substring(1);
    }

    /** The prefix every key beneath a checked directory path starts with. */
    String dirPrefix(String path) {
        return path.equals("/") ? root : key(path) + "/";
    }

    /** The driver path of a key that starts with {@link #dirPrefix} of {@code "/"}. */
    String path(String key) {
        return "/" + key.substring(root.length());
    }
}
