package io.wharf.registry;

import io.wharf.storage.FileInfo;
import io.wharf.storage.PathNotFoundException;
import io.wharf.storage.StorageDriver;
import io.wharf.storage.WalkVisitor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes abandoned uploads ({@code storage.maintenance.uploadpurging}): every
 * {@code _uploads/<id>} whose {@code startedat} is older than a cut-off. Uploads without a
 * readable start time are judged by their directory's modification time.
 */
public final class UploadPurger {
    private final StorageDriver driver;

    public UploadPurger(StorageDriver driver) {
        this.driver = driver;
    }

    /**
     * Finds (and unless {@code dryRun} removes) uploads started before {@code cutoff}.
     *
     * @return the upload directories purged, or that would be
     */
    public List<String> purge(Instant cutoff, boolean dryRun) throws IOException {
        List<String> stale = new ArrayList<>();
        try {
            driver.walk(StorageLayout.REPOSITORIES, (FileInfo info) -> {
                if (!info.directory()) {
                    return WalkVisitor.Next.CONTINUE;
                }
                String name = info.path().substring(info.path().lastIndexOf('/') + 1);
                if (name.equals("_uploads")) {
                    collect(info.path(), cutoff, stale);
                    return WalkVisitor.Next.SKIP_SUBTREE;
                }
                return name.startsWith("_") ? WalkVisitor.Next.SKIP_SUBTREE : WalkVisitor.Next.CONTINUE;
            });
        } catch (PathNotFoundException e) {
            return List.of();
        }
        if (!dryRun) {
            for (String dir : stale) {
                try {
                    driver.delete(dir);
                } catch (PathNotFoundException e) {
                    // Completed or cancelled meanwhile.
                }
            }
        }
        return stale;
    }

    private void collect(String uploadsDir, Instant cutoff, List<String> stale) throws IOException {
        for (String upload : driver.list(uploadsDir)) {
            if (startedAt(upload).isBefore(cutoff)) {
                stale.add(upload);
            }
        }
    }

    private Instant startedAt(String uploadDir) throws IOException {
        try {
            String text = new String(driver.getContent(uploadDir + "/startedat"), StandardCharsets.UTF_8).trim();
            return OffsetDateTime.parse(text).toInstant();
        } catch (PathNotFoundException | DateTimeParseException e) {
            try {
                return driver.stat(uploadDir).modified();
            } catch (PathNotFoundException gone) {
                return Instant.MAX;
            }
        }
    }
}
