package io.wharf.config;

import java.util.List;
import java.util.Locale;

/**
 * Binds {@code storage.s3} with Distribution's keys, defaults and limits. Every problem goes to the diagnostics at
 * once; keys Distribution has but Wharf does not act on are warned about when set to anything but their default.
 */
final class S3Binding {
    private static final String AT = "storage.s3.";
    private static final long MIB = DriverSettings.S3.MIB;
    private static final long MIN_PART = 5 * MIB;
    private static final long MAX_PART = 5 * 1024 * MIB;
    /** A streamed write's part is kept in one array. */
    private static final long MAX_CHUNK = Integer.MAX_VALUE - 8;
    /** Distribution's list: the storage classes that need no restore before a read, and NONE for none. */
    static final List<String> STORAGE_CLASSES = List.of("NONE", "STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA",
            "ONEZONE_IA", "INTELLIGENT_TIERING", "OUTPOSTS", "GLACIER_IR", "EXPRESS_ONEZONE");

    private S3Binding() {
    }

    static DriverSettings.S3 bind(ConfigTree tree, Diagnostics diagnostics) {
        String bucket = required(tree, "bucket", diagnostics);
        String endpoint = tree.string(AT + "regionendpoint", "");
        String region = tree.string(AT + "region", "");
        if (region.isEmpty() && endpoint.isEmpty()) {
            diagnostics.error(AT + "region: required unless storage.s3.regionendpoint names an S3-compatible service");
        }
        var defaults = DriverSettings.S3.defaults(bucket, region);
        var s3 = new DriverSettings.S3(tree.string(AT + "accesskey", ""), tree.string(AT + "secretkey", ""), region,
                endpoint, tree.bool(AT + "forcepathstyle", false), bucket, tree.string(AT + "rootdirectory", ""),
                tree.bool(AT + "secure", true), tree.bool(AT + "skipverify", false), tree.bool(AT + "v4auth", true),
                size(tree, "chunksize", defaults.chunkSize(), MIN_PART, MAX_CHUNK, diagnostics),
                size(tree, "multipartcopychunksize", defaults.multipartCopyChunkSize(), MIN_PART, MAX_PART, diagnostics),
                (int) size(tree, "multipartcopymaxconcurrency", defaults.multipartCopyMaxConcurrency(), 1, 10_000,
                        diagnostics),
                size(tree, "multipartcopythresholdsize", defaults.multipartCopyThresholdSize(), 0, MAX_PART, diagnostics),
                tree.bool(AT + "encrypt", false), tree.string(AT + "keyid", ""), storageClass(tree, diagnostics),
                tree.string(AT + "useragent", ""));
        warnings(tree, s3, diagnostics);
        return s3;
    }

    private static String required(ConfigTree tree, String key, Diagnostics diagnostics) {
        String value = tree.string(AT + key, "");
        if (value.isEmpty()) {
            diagnostics.error(AT + key + ": required");
        }
        return value;
    }

    private static long size(ConfigTree tree, String key, long fallback, long min, long max, Diagnostics diagnostics) {
        long value = tree.longInteger(AT + key, fallback);
        if (value < min || value > max) {
            diagnostics.error(AT + key, "must be between " + min + " and " + max + ", got " + value,
                    tree.node(AT + key).orElseThrow());
            return fallback;
        }
        return value;
    }

    private static String storageClass(ConfigTree tree, Diagnostics diagnostics) {
        String value = tree.string(AT + "storageclass", DriverSettings.S3.DEFAULT_STORAGE_CLASS).toUpperCase(Locale.ROOT);
        if (!STORAGE_CLASSES.contains(value)) {
            diagnostics.error(AT + "storageclass", "must be one of " + String.join(", ", STORAGE_CLASSES) + ", got "
                    + value, tree.node(AT + "storageclass").orElseThrow());
            return DriverSettings.S3.DEFAULT_STORAGE_CLASS;
        }
        return value;
    }

    private static void warnings(ConfigTree tree, DriverSettings.S3 s3, Diagnostics diagnostics) {
        if (!s3.v4Auth()) {
            warn(tree, "v4auth", "Signature Version 2 is not available; requests are signed with version 4",
                    diagnostics);
        }
        for (String flag : List.of("usedualstack", "accelerate", "usefipsendpoint")) {
            if (tree.bool(AT + flag, false)) {
                warn(tree, flag, "not supported by this version of Wharf; ignored", diagnostics);
            }
        }
        if (!tree.string(AT + "objectacl", "private").equals("private")) {
            warn(tree, "objectacl", "not supported by this version of Wharf; objects get the bucket's default ACL",
                    diagnostics);
        }
        for (String key : List.of("redirectendpoint", "sessiontoken")) {
            if (!tree.string(AT + key, "").isEmpty()) {
                warn(tree, key, "not supported by this version of Wharf; ignored", diagnostics);
            }
        }
        tree.node(AT + "loglevel").filter(n -> !(n instanceof YamlNode.Scalar sc) || !isOff(sc))
                .ifPresent(n -> diagnostics.warn(AT + "loglevel", "ignored; set the logger software.amazon.awssdk "
                        + "to DEBUG to see the S3 client's requests", n));
    }

    private static boolean isOff(YamlNode.Scalar scalar) {
        String text = scalar.text().toLowerCase(Locale.ROOT);
        return text.equals("off") || text.equals("false");
    }

    private static void warn(ConfigTree tree, String key, String message, Diagnostics diagnostics) {
        diagnostics.warn(AT + key, message, tree.node(AT + key).orElseThrow());
    }
}
