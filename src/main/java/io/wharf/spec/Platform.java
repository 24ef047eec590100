package io.wharf.spec;

/**
 * The {@code platform} of an index entry, as far as Wharf reads it. Values are taken as written (not validated,
 * as Distribution does not); a field that is absent or not text is empty.
 *
 * @param os the operating system, e.g. {@code linux}
 * @param architecture the CPU architecture, e.g. {@code arm64}
 * @param variant the architecture's variant, e.g. {@code v8}
 */
public record Platform(String os, String architecture, String variant) {
    /** An index entry without a platform. */
    public static final Platform NONE = new Platform("", "", "");

    public Platform {
        os = os == null ? "" : os;
        architecture = architecture == null ? "" : architecture;
        variant = variant == null ? "" : variant;
    }
}
