package io.wharf.spec;

/**
 * A manifest reference by digest.
 *
 * @param digest the manifest's digest
 */
public record DigestReference(Digest digest) implements Reference {
    @Override
    public String toString() {
        return digest.toString();
    }
}
