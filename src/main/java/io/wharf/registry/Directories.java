package io.wharf.registry;

import io.wharf.storage.PathNotFoundException;
import io.wharf.storage.StorageDriver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Listing many directories of the layout at once, for scans that read a tree a level at a time. */
final class Directories {
    private Directories() {
    }

    /**
     * The children of every directory, listed side by side on {@code fanout} (an object store answers each
     * listing after a round trip), in the order of the directories. A path that is a file or is gone (removed
     * while a scan was under way) has no children.
     */
    static List<String> children(StorageDriver driver, Fanout fanout, List<String> dirs) throws IOException {
        List<String> out = new ArrayList<>();
        for (List<String> children : fanout.map(dirs, dir -> {
            try {
                return driver.list(dir);
            } catch (PathNotFoundException e) {
                return List.<String>of();
            }
        })) {
            out.addAll(children);
        }
        return out;
    }
}
