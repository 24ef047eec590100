package io.wharf.sync;

import java.util.List;

/**
 * What a copy did (or, in a dry run, would do).
 *
 * @param tagsCopied tags written at the destination
 * @param tagsCurrent tags that already named the source's manifest there
 * @param manifestsCopied manifests (images, indexes, referrers) stored at the destination
 * @param blobsCopied blobs transferred
 * @param blobsMounted blobs linked from another repository at the destination, without transfer
 * @param blobsPresent blobs the destination already had in the repository
 * @param bytesCopied bytes transferred (in a dry run: that would be)
 * @param failures one line per tag that could not be copied
 */
public record SyncReport(long tagsCopied, long tagsCurrent, long manifestsCopied, long blobsCopied,
        long blobsMounted, long blobsPresent, long bytesCopied, List<String> failures) {

    public boolean ok() {
        return failures.isEmpty();
    }

    /** One line for a log or a terminal. */
    public String summary(boolean dryRun) {
        String verb = dryRun ? "would copy" : "copied";
        return String.format("%s %d tags (%d already current), %d manifests, %d blobs (%s), mounted %d, present %d;"
                + " %d failed", verb, tagsCopied, tagsCurrent, manifestsCopied, blobsCopied, human(bytesCopied),
                blobsMounted, blobsPresent, failures.size());
    }

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String units = "KMGTPE";
        int u = (63 - Long.numberOfLeadingZeros(bytes)) / 10;
        return String.format("%.1f %siB", bytes / Math.pow(1024, u), units.charAt(u - 1));
    }
}
