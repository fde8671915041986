package io.wirefx.daemon.log;

import io.wirefx.daemon.store.ConfigStore;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.Objects;

/**
 * The service's log as a file, for where no supervisor keeps its stderr (a Windows service): lines appended to
 * {@code NAME}, which is renamed to {@code NAME.1} when the next line would take it past {@code maxBytes}
 * ({@code NAME.1} to {@code NAME.2}, and so on; the oldest beyond {@code keep} is deleted). So the files take at most
 * {@code (keep + 1) × maxBytes}. The directory is restricted like the store's (mode 0700 and files 0600, or an ACL of
 * the service's account and Administrators). Lines come from the {@link LogRing}, already masked.
 *
 * <p>Writing never throws: a failure (disk full) drops the line, and writing is tried again with the next one.
 */
public final class RotatingLogFile implements AutoCloseable {

    /** Size at which the file is rotated. */
    public static final long DEFAULT_MAX_BYTES = 4L << 20;
    /** Rotated files kept. */
    public static final int DEFAULT_KEEP = 4;

    private final Path file;
    private final long maxBytes;
    private final int keep;
    private final boolean posix;
    private OutputStream out;
    private long size;

    private RotatingLogFile(Path file, long maxBytes, int keep, boolean posix) {
        this.file = file;
        this.maxBytes = maxBytes;
        this.keep = keep;
        this.posix = posix;
    }

    /** Opens (creating the directory, restricted, if needed) {@code file} for appending. */
    public static RotatingLogFile open(Path file, long maxBytes, int keep) throws IOException {
        Objects.requireNonNull(file, "file");
        if (maxBytes < 1 || keep < 1) {
            throw new IllegalArgumentException("maxBytes and keep must be positive: " + maxBytes + ", " + keep);
        }
        Path dir = file.toAbsolutePath().getParent();
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir);
            if (posix) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            } else {
                ConfigStore.restrictAcl(dir);
            }
        }
        RotatingLogFile f = new RotatingLogFile(file.toAbsolutePath(), maxBytes, keep, posix);
        f.reopen();
        return f;
    }

    /** The current file. */
    public Path path() {
        return file;
    }

    /** Appends {@code line} and a line break, rotating first if it would not fit. */
    public synchronized void append(String line) {
        byte[] b = (line + System.lineSeparator()).getBytes(StandardCharsets.UTF_8);
        try {
            if (out == null) {
                reopen();
            }
            if (size > 0 && size + b.length > maxBytes) {
                rotate();
            }
            out.write(b);
            out.flush();
            size += b.length;
        } catch (IOException e) {
            closeQuietly(); // dropped; the next line reopens
        }
    }

    /** The file of rotation {@code n} (1 = the most recent). */
    public Path rotated(int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    private void rotate() throws IOException {
        closeQuietly();
        Files.deleteIfExists(rotated(keep));
        for (int i = keep - 1; i >= 1; i--) {
            if (Files.exists(rotated(i), LinkOption.NOFOLLOW_LINKS)) {
                Files.move(rotated(i), rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(file, rotated(1), StandardCopyOption.REPLACE_EXISTING);
        reopen();
    }

    private void reopen() throws IOException {
        Set<OpenOption> options = Set.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        out = posix
                ? Channels.newOutputStream(Files.newByteChannel(file, options,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))))
                : Channels.newOutputStream(Files.newByteChannel(file, options));
        size = Files.size(file);
    }

    private void closeQuietly() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            out = null;
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }
}
