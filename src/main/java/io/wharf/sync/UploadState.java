package io.wharf.sync;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The destination uploads a copy has under way, kept in a small JSON file so that a copy interrupted (killed, the
 * link lost) continues each blob at the offset the destination reports instead of from the start. Without a file
 * the state lives as long as the process. Written atomically (a temporary file moved over the old one) after each
 * chunk, so a crash leaves the previous or the next state, never a torn one.
 */
final class UploadState {
    private final Path file;
    private final ObjectMapper json;
    private final Map<String, String> handles = new HashMap<>();

    UploadState(Path file, ObjectMapper json) throws IOException {
        this.file = file;
        this.json = json;
        if (file != null && Files.isRegularFile(file)) {
            try {
                handles.putAll(json.readValue(file.toFile(), new TypeReference<Map<String, String>>() { }));
            } catch (IOException e) {
                // A state file that does not parse only costs a restart of the uploads it named.
                handles.clear();
            }
        }
    }

    static String key(String destination, String repo, String digest) {
        return destination + " " + repo + "@" + digest;
    }

    synchronized Optional<String> handle(String key) {
        return Optional.ofNullable(handles.get(key));
    }

    synchronized void put(String key, String handle) throws IOException {
        handles.put(key, handle);
        save();
    }

    synchronized void remove(String key) throws IOException {
        if (handles.remove(key) != null) {
            save();
        }
    }

    private void save() throws IOException {
        if (file == null) {
            return;
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        json.writeValue(tmp.toFile(), handles);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
