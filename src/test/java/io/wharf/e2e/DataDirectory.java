package io.wharf.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A registry data directory seen as files: relative path to a content summary. */
final class DataDirectory {
    private DataDirectory() {
    }

    /**
     * Every regular file under {@code root}: a link file maps to its text, any other file to the
     * sha256 of its content. Empty directories are listed with a trailing slash.
     */
    static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                String rel = root.relativize(p).toString();
                if (Files.isRegularFile(p)) {
                    byte[] content = Files.readAllBytes(p);
                    files.put(rel, p.getFileName().toString().equals("link") ? new String(content)
                            : OciLayout.sha256(content));
                } else if (Files.isDirectory(p) && isEmpty(p)) {
                    files.put(rel + "/", "");
                }
            }
        }
        return files;
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }
}
