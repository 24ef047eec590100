package io.wharf.health;

import io.wharf.storage.PathNotFoundException;
import io.wharf.storage.StorageDriver;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;

/**
 * Distribution's {@code storagedriver_<name>} check, made to see the failures Distribution's misses. Distribution only
 * stats {@code /} and counts a missing root as healthy, so an unmounted volume or a disk that refuses writes goes
 * unnoticed until pushes fail. This check:
 * <ol>
 *   <li>writes a small probe file of this instance ({@code /_wharf/health/<instance>}) and reads it back, so a
 *       storage that refuses or loses writes fails the check (skipped in read-only mode, where a stat of {@code /}
 *       stands in);</li>
 *   <li>before writing, once its probe has been written, requires the probe to still exist: a storage root that
 *       vanished or was swapped for an empty one (an unmounted volume shows its empty mount point) fails the check
 *       instead of being silently re-created by the next write. It turns healthy again when the files come back
 *       (the volume is mounted again); after a deliberate wipe, restart the instance.</li>
 * </ol>
 */
public final class StorageHealthCheck implements HealthCheck {
    private final StorageDriver driver;
    private final String probe;
    private final boolean writes;
    private final Clock clock;
    private volatile boolean written;

    /**
     * @param instance this instance's name, unique among instances sharing the storage ({@code [A-Za-z0-9._-]})
     * @param writes false in read-only mode
     */
    public StorageHealthCheck(StorageDriver driver, String instance, boolean writes, Clock clock) {
        this.driver = driver;
        this.probe = "/_wharf/health/" + instance;
        this.writes = writes;
        this.clock = clock;
    }

    /** The check's name as Distribution spells it. */
    public static String name(StorageDriver driver) {
        return "storagedriver_" + driver.name();
    }

    @Override
    public void check() throws Exception {
        if (written) {
            try {
                driver.stat(probe);
            } catch (PathNotFoundException e) {
                throw new IllegalStateException("the storage lost the files this instance wrote (" + probe
                        + " is gone): the storage root was removed, replaced or unmounted");
            }
        }
        if (!writes) {
            try {
                driver.stat("/");
            } catch (PathNotFoundException e) {
                throw new IllegalStateException("the storage root does not exist");
            }
            return;
        }
        byte[] content = clock.instant().toString().getBytes(StandardCharsets.UTF_8);
        driver.putContent(probe, content);
        written = true;
        if (!Arrays.equals(driver.getContent(probe), content)) {
            throw new IllegalStateException("the storage returned other content than was just written to " + probe);
        }
    }
}
