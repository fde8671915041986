package io.wirefx.platform.linux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.UUID;

/**
 * The per-interface lock file ({@code IF.lock} in the state directory) that keeps two wirefx processes off one
 * interface. It is removed when released, so a clean stop leaves nothing behind; a killed process's file stays
 * (unlocked) and is taken over by the next run.
 *
 * <p>Removing a lock file lets a racing process lock the removed file while a third creates a new one. So after
 * locking, the holder writes a token of its own through its channel and reads the path back: only if the path shows
 * that token does the path still name the locked file; otherwise it tries again with the new file.
 */
final class InterfaceLock implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private InterfaceLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** Locks {@code file}, or returns empty if another process (or this one) holds it. */
    static Optional<InterfaceLock> tryAcquire(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        for (int attempt = 0; attempt < 5; attempt++) {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null;
            }
            if (l == null) {
                ch.close();
                return Optional.empty();
            }
            String token = ProcessHandle.current().pid() + " " + UUID.randomUUID() + "\n";
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(token.getBytes(StandardCharsets.US_ASCII)), 0);
            ch.force(false);
            String onDisk;
            try {
                onDisk = Files.readString(file, StandardCharsets.US_ASCII);
            } catch (NoSuchFileException e) {
                onDisk = "";
            }
            if (onDisk.equals(token)) {
                return Optional.of(new InterfaceLock(file, ch, l));
            }
            l.release(); // the file was removed by its previous holder after we opened it: take the new one
            ch.close();
        }
        throw new IOException("the lock file " + file + " keeps changing");
    }

    /** Removes the file while still holding it, then releases it. */
    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // an unlocked file left behind is taken over by the next run
        }
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the lock goes with the process anyway
        }
    }
}
