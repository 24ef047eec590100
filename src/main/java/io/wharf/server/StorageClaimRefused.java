package io.wharf.server;

/**
 * A server does not start on its storage: an offline garbage collection holds it, or other servers write it and
 * this one lacks what sharing needs. The message says what to do; it is the operator's to act on, not a fault.
 */
final class StorageClaimRefused extends IllegalStateException {
    StorageClaimRefused(String message) {
        super(message);
    }
}
