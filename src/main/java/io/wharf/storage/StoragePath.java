package io.wharf.storage;

/** Validation of driver paths, shared by every driver so all of them refuse the same inputs. */
public final class StoragePath {
    private StoragePath() {
    }

    /**
     * Checks a driver path: {@code /} alone, or {@code /seg/seg...} where each segment is
     * {@code [A-Za-z0-9._-]+} and neither {@code .} nor {@code ..}.
     *
     * @return the path
     * @throws InvalidPathException otherwise
     */
    public static String check(String path) throws InvalidPathException {
        if (path == null || path.isEmpty() || path.charAt(0) != '/') {
            throw new InvalidPathException(String.valueOf(path));
        }
        if (path.length() == 1) {
            return path;
        }
        if (path.endsWith("/")) {
            throw new InvalidPathException(path);
        }
        int start = 1;
        while (start <= path.length()) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = path.length();
            }
            checkSegment(path, start, end);
            start = end + 1;
        }
        return path;
    }

    private static void checkSegment(String path, int start, int end) throws InvalidPathException {
        int len = end - start;
        if (len == 0 || (len == 1 && path.charAt(start) == '.')
                || (len == 2 && path.charAt(start) == '.' && path.charAt(start + 1) == '.')) {
            throw new InvalidPathException(path);
        }
        for (int i = start; i < end; i++) {
            char c = path.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!ok) {
                throw new InvalidPathException(path);
            }
        }
    }

    /** The parent of a checked path; {@code /} for top-level entries. */
    public static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    /** Joins a checked directory path and a child name. */
    public static String child(String dir, String name) {
        return dir.equals("/") ? "/" + name : dir + "/" + name;
    }
}
