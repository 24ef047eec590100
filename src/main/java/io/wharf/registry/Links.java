package io.wharf.registry;

import io.wharf.spec.Digest;
import io.wharf.spec.RegistryException;
import io.wharf.storage.PathNotFoundException;
import io.wharf.storage.StorageDriver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Reads and writes the link files of {@link StorageLayout}: a digest as text. */
final class Links {
    private final StorageDriver driver;

    Links(StorageDriver driver) {
        this.driver = driver;
    }

    /** The digest in the link file, or empty when there is no link or it holds no valid digest. */
    Optional<Digest> read(String path) throws IOException {
        return bytes(path).flatMap(Links::parse);
    }

    /** The link file's bytes as stored, or empty when there is no link. */
    Optional<byte[]> bytes(String path) throws IOException {
        try {
            return Optional.of(driver.getContent(path));
        } catch (PathNotFoundException e) {
            return Optional.empty();
        }
    }

    /** The digest a link's bytes name, or empty when they name none. */
    static Optional<Digest> parse(byte[] content) {
        String text = new String(content, StandardCharsets.UTF_8).trim();
        try {
            return Optional.of(Digest.parse(text));
        } catch (RegistryException e) {
            return Optional.empty();
        }
    }

    /** Writes the link durably. */
    void write(String path, Digest digest) throws IOException {
        driver.putContent(path, digest.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** True when a link file exists at the path. */
    boolean exists(String path) throws IOException {
        try {
            return !driver.stat(path).directory();
        } catch (PathNotFoundException e) {
            return false;
        }
    }

    /** Deletes the link files in one batch; missing ones are skipped. */
    void deleteAll(java.util.Collection<String> paths) throws IOException {
        driver.deleteFiles(paths);
    }

    /** Deletes the path if present; true when something was deleted. */
    boolean deleteIfPresent(String path) throws IOException {
        try {
            driver.delete(path);
            return true;
        } catch (PathNotFoundException e) {
            return false;
        }
    }
}
