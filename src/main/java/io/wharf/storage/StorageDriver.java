package io.wharf.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The narrow interface every storage backend implements, modelled on CNCF Distribution's
 * {@code storagedriver.StorageDriver}. It knows paths and bytes, nothing of digests or repositories.
 *
 * <p><b>Paths</b> are absolute, {@code /}-separated, and made of segments of
 * {@code [A-Za-z0-9._-]} that are not {@code .} or {@code ..} (see {@link StoragePath}); any other
 * path throws {@link InvalidPathException} before touching storage, so no caller can reach outside
 * the driver's root.
 *
 * <p><b>Files and directories:</b> the root {@code /} is always a directory, and no path is both a
 * file and a directory. So every method that writes, moves or deletes throws
 * {@link InvalidPathException} for the root, for a directory it would replace by a file, and for a
 * path beneath a file, without changing anything.
 *
 * <p><b>Design for object stores:</b> the contract needs no directory renames, hard links or locks.
 * Directories exist implicitly while they hold a file; whether one emptied by {@link #move} or
 * {@link #delete} still exists afterwards is up to the driver. {@link #move} moves one file.
 *
 * <p><b>Durability:</b> {@link #putContent}, {@link #move}, {@link FileWriter#commit} and
 * {@link #delete} are durable when they return: a process crash right after loses nothing.
 *
 * <p>Implementations are thread-safe.
 */
public interface StorageDriver {

    /** A short name for logs and metrics, e.g. {@code filesystem}. */
    String name();

    /**
     * Reads a whole small file (links, manifests, dates).
     *
     * @throws PathNotFoundException when there is no file at the path (a directory is not a file)
     */
    byte[] getContent(String path) throws IOException;

    /**
     * Atomically replaces the file at the path with the content: a reader sees the old or the new
     * content in full, never a mix. Creates missing parent directories. Durable when it returns.
     *
     * @throws InvalidPathException when the path is the root, a directory, or beneath a file
     */
    void putContent(String path, byte[] content) throws IOException;

    /**
     * Opens the file for reading from the offset.
     *
     * @param offset where to start; the file's size gives an empty stream
     * @throws PathNotFoundException when there is no file at the path (a directory is not a file)
     * @throws InvalidOffsetException when the offset is negative or beyond the end
     */
    InputStream reader(String path, long offset) throws IOException;

    /**
     * Opens a writer that appends to the file, creating it when absent. With {@code append} false an
     * existing file is truncated first. Nothing written is guaranteed durable before
     * {@link FileWriter#commit}.
     *
     * @throws InvalidPathException when the path is the root, a directory, or beneath a file
     */
    FileWriter writer(String path, boolean append) throws IOException;

    /**
     * Describes a file or directory.
     *
     * @throws PathNotFoundException when nothing exists at the path
     */
    FileInfo stat(String path) throws IOException;

    /**
     * Lists the direct children of a directory as full paths, in lexical order.
     *
     * @throws PathNotFoundException when the directory does not exist or is a file
     */
    List<String> list(String path) throws IOException;

    /**
     * Moves one file, replacing any file at the destination atomically and creating missing parent
     * directories. The file at the destination, its content included, is durable when it returns, also
     * when its writer was closed without {@link FileWriter#commit}; the removal of the source may not
     * be (after a crash the file may exist at both paths, never at neither). Moving a file
     * onto itself changes nothing.
     *
     * @throws PathNotFoundException when there is no file at the source (directories do not move)
     * @throws InvalidPathException when the destination is the root, a directory, or beneath a file
     */
    void move(String sourcePath, String destPath) throws IOException;

    /**
     * Deletes a file, or a directory with everything beneath it.
     *
     * @throws PathNotFoundException when nothing exists at the path
     * @throws InvalidPathException when the path is the root
     */
    void delete(String path) throws IOException;

    /**
     * Visits every file and directory below the path, depth first, children in lexical order; a
     * directory is visited before its children, and nothing is visited below a file. An exception
     * thrown by the visitor ends the walk and reaches the caller.
     *
     * @throws PathNotFoundException when the path does not exist
     */
    default void walk(String path, WalkVisitor visitor) throws IOException {
        if (stat(path).directory()) {
            walkChildren(path, visitor);
        }
    }

    /**
     * Built on {@link #list} and {@link #stat}, so every driver walks alike; a driver with a cheaper
     * recursive listing (an object store's prefix listing) may override {@link #walk}.
     *
     * @return false when the visitor said {@link WalkVisitor.Next#STOP}
     */
    private boolean walkChildren(String dir, WalkVisitor visitor) throws IOException {
        List<String> children;
        try {
            children = list(dir);
        } catch (PathNotFoundException e) {
            // Deleted while the walk was under way: it has no children left to visit.
            return true;
        }
        for (String child : children) {
            FileInfo info;
            try {
                info = stat(child);
            } catch (PathNotFoundException e) {
                continue;
            }
            WalkVisitor.Next next = visitor.visit(info);
            if (next == WalkVisitor.Next.STOP) {
                return false;
            }
            if (info.directory() && next == WalkVisitor.Next.CONTINUE && !walkChildren(child, visitor)) {
                return false;
            }
        }
        return true;
    }

    /** Receives files from {@link #walkFiles}. */
    @FunctionalInterface
    interface FileVisitor {
        /** Visits one file; an exception ends the scan and reaches the caller. */
        void visit(FileInfo file) throws IOException;
    }

    /**
     * Visits every file (not directory) below the path with its size and modification time, in no particular
     * order; nothing when the path is a file. Meant for scans of many files (garbage collection): a driver over an
     * object store lists a whole prefix, a page of keys per request, where {@link #walk} needs one request per
     * directory. Files created or deleted during the scan may or may not be visited.
     *
     * @throws PathNotFoundException when nothing exists at the path
     */
    default void walkFiles(String path, FileVisitor visitor) throws IOException {
        walk(path, info -> {
            if (!info.directory()) {
                visitor.visit(info);
            }
            return WalkVisitor.Next.CONTINUE;
        });
    }

    /**
     * Deletes the files at the paths, as {@link #delete} would one by one, for callers that remove many at once
     * (garbage collection): an object store deletes up to 1,000 per request. A path where no file exists (missing,
     * or a directory) is skipped, so a directory is never deleted this way. A directory left empty may or may not
     * exist afterwards, as after {@link #delete}. Durable when it returns; when it throws, any subset of the files
     * may be gone.
     *
     * @throws InvalidPathException when a path is invalid or the root, before anything is deleted
     */
    default void deleteFiles(java.util.Collection<String> paths) throws IOException {
        for (String path : paths) {
            if (StoragePath.check(path).equals("/")) {
                throw new InvalidPathException(path);
            }
        }
        for (String path : paths) {
            try {
                if (!stat(path).directory()) {
                    delete(path);
                }
            } catch (PathNotFoundException e) {
                // Already gone: nothing to delete.
            }
        }
    }

    /**
     * The local file behind a path, when the driver keeps files on a local file system, so that the
     * HTTP layer can serve it zero-copy. Empty for every other driver, and for a directory, a
     * missing file or an invalid path.
     */
    default Optional<Path> localFile(String path) {
        return Optional.empty();
    }

    /**
     * A URL from which a client may fetch the file itself for {@code validFor}, for drivers whose backend serves
     * files (an object store's presigned GET), so that the bytes need not pass through the server. Empty for
     * drivers that cannot (the default), and for a missing file.
     */
    default Optional<java.net.URI> redirectUrl(String path, java.time.Duration validFor) throws IOException {
        return Optional.empty();
    }
}
