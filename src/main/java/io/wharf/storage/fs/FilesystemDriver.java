package io.wharf.storage.fs;

import io.wharf.storage.FileInfo;
import io.wharf.storage.FileWriter;
import io.wharf.storage.InvalidOffsetException;
import io.wharf.storage.InvalidPathException;
import io.wharf.storage.PathNotFoundException;
import io.wharf.storage.StorageDriver;
import io.wharf.storage.StoragePath;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Stores files under a root directory, with CNCF Distribution's {@code filesystem} driver layout so
 * that both can share a data directory.
 *
 * <p>Atomic replacement writes a hidden temporary file ({@value #TEMP_PREFIX}...) beside the
 * target, fsyncs it, renames it into place and fsyncs the directory. Temporary files are never
 * listed or walked.
 */
public final class FilesystemDriver implements StorageDriver {
    /** How often a write re-creates a directory that concurrent deletes keep removing before it gives up. */
    private static final int DIRECTORY_RACE_RETRIES = 100;

    static final String TEMP_PREFIX = ".wharf-tmp-";

    private final Path root;
    private final UnsyncedDirectories unsynced = new UnsyncedDirectories();

    /** Creates a driver rooted at the directory, creating it when absent. */
    public FilesystemDriver(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        Files.createDirectories(this.root);
    }

    @Override
    public String name() {
        return "filesystem";
    }

    /** The root directory. */
    public Path root() {
        return root;
    }

    private Path resolve(String path) throws IOException {
        StoragePath.check(path);
        return path.length() == 1 ? root : root.resolve(path.substring(1));
    }

    /**
     * Resolves a path that a write will create or replace. The root and directories are refused
     * here, before anything is created: the root's parent lies outside the store, and a file
     * renamed onto a directory would fail only after its temporary file was written.
     */
    private Path resolveWritable(String path) throws IOException {
        Path file = resolve(path);
        // Links followed, as Distribution's driver does (os.Stat): without NOFOLLOW_LINKS the JDK answers a missing
        // path without creating an exception, and this check runs on every write.
        if (file.equals(root) || Files.isDirectory(file)) {
            throw new InvalidPathException(path);
        }
        return file;
    }

    @Override
    public byte[] getContent(String path) throws IOException {
        Path file = resolve(path);
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException | java.nio.file.NotDirectoryException e) {
            // Checked first: the file may be deleted and written again between the read and a later
            // check (a tag deleted and pushed again), and that is still "no file" for this read.
            throw new PathNotFoundException(path);
        } catch (IOException e) {
            // Missing, a directory, or beneath a file (ENOTDIR): all mean "no file here".
            if (!Files.isRegularFile(file)) {
                throw new PathNotFoundException(path);
            }
            throw e;
        }
    }

    @Override
    public void putContent(String path, byte[] content) throws IOException {
        Path file = resolveWritable(path);
        Path dir = file.getParent();
        List<Path> parents = new ArrayList<>(2);
        for (int attempt = 1; ; attempt++) {
            ensureDirectory(dir, path, false, parents);
            try {
                writeAndRename(dir, file, content);
                syncAll(parents);
                return;
            } catch (NoSuchFileException e) {
                // A concurrent delete (a tag removed, an emptied repository collected) took the directory away
                // between its creation and the write: create it again.
                if (attempt >= DIRECTORY_RACE_RETRIES || Files.isDirectory(dir)) {
                    throw e;
                }
            }
        }
    }

    private static void writeAndRename(Path dir, Path file, byte[] content) throws IOException {
        Path temp = dir.resolve(TEMP_PREFIX + UUID.randomUUID());
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            renameDurably(temp, file);
        } catch (IOException | RuntimeException e) {
            // Also when the rename fails (a directory appeared at the path): never leave a temp file.
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    @Override
    public InputStream reader(String path, long offset) throws IOException {
        Path file = resolve(path);
        if (offset < 0) {
            throw new InvalidOffsetException(path);
        }
        // Linux opens a directory for reading without complaint; only the first read would fail.
        if (!Files.isRegularFile(file)) {
            throw new PathNotFoundException(path);
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new PathNotFoundException(path);
        }
        try {
            if (offset > ch.size()) {
                throw new InvalidOffsetException(path);
            }
            ch.position(offset);
            return Channels.newInputStream(ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public FileWriter writer(String path, boolean append) throws IOException {
        Path file = resolveWritable(path);
        FileChannel ch;
        for (int attempt = 1; ; attempt++) {
            ensureDirectory(file.getParent(), path, true);
            try {
                ch = append
                        ? FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)
                        : FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                                StandardOpenOption.TRUNCATE_EXISTING);
                break;
            } catch (NoSuchFileException e) {
                if (attempt >= DIRECTORY_RACE_RETRIES || Files.isDirectory(file.getParent())) {
                    throw e;
                }
            }
        }
        ch.position(ch.size());
        return new ChannelWriter(file, ch, unsynced);
    }

    @Override
    public FileInfo stat(String path) throws IOException {
        Path p = resolve(path);
        BasicFileAttributes a;
        try {
            // Links followed (as Distribution's os.Stat does), which lets the JDK report a missing path as null
            // instead of an exception: a blob push stats a path that does not exist yet.
            a = p.getFileSystem().provider().readAttributesIfExists(p, BasicFileAttributes.class);
        } catch (NoSuchFileException | java.nio.file.NotDirectoryException e) {
            // Not re-checked: the path may be written again meanwhile, which is still "absent" for this call.
            a = null;
        } catch (IOException e) {
            // Beneath a file the kernel answers ENOTDIR rather than ENOENT.
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                throw e;
            }
            a = null;
        }
        // Thrown outside the try: inside it, the handler for other I/O errors caught this exception too and stat'ed
        // the path once more, which cost a missing path (every blob push asks for one) three more exceptions.
        if (a == null) {
            throw new PathNotFoundException(path);
        }
        return new FileInfo(path, a.isDirectory() ? 0 : a.size(), a.lastModifiedTime().toInstant(), a.isDirectory());
    }

    @Override
    public List<String> list(String path) throws IOException {
        Path dir = resolve(path);
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(p -> {
                String n = p.getFileName().toString();
                if (!n.startsWith(TEMP_PREFIX)) {
                    names.add(n);
                }
            });
        } catch (NoSuchFileException | java.nio.file.NotDirectoryException e) {
            throw new PathNotFoundException(path);
        }
        names.sort(null);
        List<String> out = new ArrayList<>(names.size());
        for (String n : names) {
            out.add(StoragePath.child(path, n));
        }
        return out;
    }

    @Override
    public void move(String sourcePath, String destPath) throws IOException {
        Path src = resolve(sourcePath);
        resolve(destPath);
        // Only files move: object stores cannot rename a directory, so no caller may rely on it.
        if (!Files.isRegularFile(src, LinkOption.NOFOLLOW_LINKS)) {
            throw new PathNotFoundException(sourcePath);
        }
        Path dst = resolveWritable(destPath);
        List<Path> parents = new ArrayList<>(2);
        ensureDirectory(dst.getParent(), destPath, false, parents);
        // The content too, not only the name: a writer closed without commit (an upload's last chunk, moved at
        // once) was not synced, and syncing it here saves the sync of the directory it is about to leave. After
        // the directories are made, so that one journal commit takes both (see syncAll).
        try (FileChannel ch = FileChannel.open(src, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (NoSuchFileException e) {
            throw new PathNotFoundException(sourcePath);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                // Only the destination's directory is synced: the contract lets a crash leave the source behind.
                renameDurably(src, dst);
                syncAll(parents);
                return;
            } catch (NoSuchFileException e) {
                if (attempt >= DIRECTORY_RACE_RETRIES || Files.isDirectory(dst.getParent())
                        || !Files.isRegularFile(src, LinkOption.NOFOLLOW_LINKS)) {
                    throw e;
                }
                // A concurrent delete took the directory away after it was made: make it again.
                ensureDirectory(dst.getParent(), destPath, false, parents);
            }
        }
    }

    @Override
    public void delete(String path) throws IOException {
        Path p = resolve(path);
        if (p.equals(root)) {
            throw new InvalidPathException(path);
        }
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new PathNotFoundException(path);
        }
        boolean neverSynced = unsynced.forget(p);
        deleteRecursively(p);
        if (!neverSynced) {
            fsyncDirectory(p.getParent());
        }
    }

    /** One directory read and one attribute read per entry, without sorting: see {@link FileScans#walkFiles}. */
    @Override
    public void walkFiles(String path, FileVisitor visitor) throws IOException {
        FileScans.walkFiles(resolve(path), path, visitor);
    }

    /**
     * Deletes the regular files, then each directory one of them left empty (one level: the blob's or link's own
     * directory, as {@link #delete} of that directory would), and syncs every directory that lost an entry once
     * for the whole batch rather than once per file; see {@link FileScans#deleteFiles}.
     */
    @Override
    public void deleteFiles(java.util.Collection<String> paths) throws IOException {
        List<Path> files = new ArrayList<>(paths.size());
        for (String path : paths) {
            Path p = resolve(path);
            if (p.equals(root)) {
                throw new InvalidPathException(path);
            }
            files.add(p);
        }
        FileScans.deleteFiles(root, files);
    }

    private static void deleteRecursively(Path p) throws IOException {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> s = Files.list(p)) {
                for (Path c : (Iterable<Path>) s::iterator) {
                    deleteRecursively(c);
                }
            } catch (NoSuchFileException e) {
                return;
            }
        }
        try {
            Files.deleteIfExists(p);
        } catch (DirectoryNotEmptyException e) {
            // A concurrent writer added an entry; delete what is there now.
            deleteRecursively(p);
        }
    }

    @Override
    public Optional<Path> localFile(String path) {
        try {
            Path p = resolve(path);
            return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Syncs the parents of the directories a durable write made, after its content and its rename were synced.
     * Why last: on a journaling filesystem (ext4, XFS) each of those syncs commits every change made before it, so
     * the new directories' entries go to disk with the content's or the rename's commit, and these syncs find
     * nothing left to write; synced as each directory was made they were two more commits per blob push, each
     * waited for in turn. Nothing is promised before the write returns, and a crash before this leaves at most an
     * unreachable directory, never a wrong file at a reachable name.
     */
    private static void syncAll(List<Path> parents) throws IOException {
        for (Path dir : parents) {
            fsyncDirectory(dir);
        }
    }

    private void ensureDirectory(Path dir, String path, boolean deferred) throws IOException {
        ensureDirectory(dir, path, deferred, null);
    }

    /**
     * Creates the directory and missing parents, fsyncing each parent that gained an entry, and settles an
     * existing directory whose entry was deferred. With {@code deferred} (a writer's own directory) the new
     * directory's own entry is synced later, by whatever needs it durable; see {@link UnsyncedDirectories}.
     *
     * @param parents where the parents to sync are collected instead, for the caller to sync before it returns
     *     ({@link #syncAll}); {@code null} to sync each at once
     * @throws InvalidPathException when a file stands where a directory is needed
     */
    private void ensureDirectory(Path dir, String path, boolean deferred, List<Path> parents) throws IOException {
        if (Files.isDirectory(dir)) {
            settleUnlessDeferred(dir, deferred);
            return;
        }
        boolean recorded = false;
        for (int attempt = 1; ; attempt++) {
            ensureDirectory(dir.getParent(), path, false, parents);
            // Recorded before it exists, so that a durable write finding it a moment later settles it.
            recorded = deferred && unsynced.defer(dir);
            try {
                Files.createDirectory(dir);
                break;
            } catch (NoSuchFileException e) {
                unsynced.undefer(dir, recorded);
                // The parent was removed by a concurrent delete right after it was made: make it again.
                if (attempt >= DIRECTORY_RACE_RETRIES) {
                    throw e;
                }
            } catch (FileAlreadyExistsException e) {
                unsynced.undefer(dir, recorded);
                if (!Files.isDirectory(dir)) {
                    throw new InvalidPathException(path);
                }
                settleUnlessDeferred(dir, deferred);
                return;
            }
        }
        if (recorded) {
            return;
        }
        if (parents != null) {
            parents.add(dir.getParent());
        } else {
            fsyncDirectory(dir.getParent());
        }
    }

    /** An existing directory a durable write uses must have a durable entry; a writer's own may wait. */
    private void settleUnlessDeferred(Path dir, boolean deferred) throws IOException {
        if (!deferred) {
            unsynced.settle(dir);
        }
    }

    private static void renameDurably(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
        fsyncDirectory(to.getParent());
    }

    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (NoSuchFileException e) {
            // Removed concurrently: nothing left to make durable.
        }
    }
}
