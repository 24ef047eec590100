package io.wharf.spec;

/** The {@code <reference>} of a manifest URL: a {@link Tag} or a {@link DigestReference}. */
public sealed interface Reference permits Tag, DigestReference {

    /**
     * Parses a reference: a digest when it contains a colon, a tag otherwise.
     *
     * @throws RegistryException {@link ErrorCode#DIGEST_INVALID} or {@link ErrorCode#TAG_INVALID}
     *     ({@code MANIFEST_INVALID}-class errors are the caller's choice)
     */
    static Reference parse(String text) {
        if (text != null && text.indexOf(':') >= 0) {
            return new DigestReference(Digest.parse(text));
        }
        return new Tag(text);
    }
}
