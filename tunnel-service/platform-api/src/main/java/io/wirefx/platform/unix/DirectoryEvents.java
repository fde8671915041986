package io.wirefx.platform.unix;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;

/**
 * One watch service for the whole process (on Linux one inotify instance and one JDK thread, however many sockets
 * are watched or come and go): a change in any registered directory advances a generation counter and wakes every
 * waiter, who then looks at its own file. Directories stay registered until they are deleted.
 */
final class DirectoryEvents {
    private final WatchService watch;
    private final Object lock = new Object();
    private long generation; // guarded by lock

    private DirectoryEvents(WatchService watch) {
        this.watch = watch;
    }

    private static final class Holder {
        static final DirectoryEvents INSTANCE = create();

        private static DirectoryEvents create() {
            try {
                DirectoryEvents events = new DirectoryEvents(FileSystems.getDefault().newWatchService());
                Thread.ofPlatform().daemon().name("unix-socket-watch").start(events::dispatch);
                return events;
            } catch (IOException | UnsupportedOperationException e) {
                return null;
            }
        }
    }

    /** The process's instance, or null where no watch service can be had. */
    static DirectoryEvents get() {
        return Holder.INSTANCE;
    }

    /** Reports creations and deletions in {@code dir} from now on (idempotent). */
    void register(Path dir) throws IOException {
        dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE);
    }

    /** The current generation: pass it to {@link #awaitChange} after looking at the file. */
    long generation() {
        synchronized (lock) {
            return generation;
        }
    }

    /** Waits until a registered directory changed after {@code seen} was read. */
    void awaitChange(long seen) throws InterruptedException {
        synchronized (lock) {
            while (generation == seen) {
                lock.wait();
            }
        }
    }

    private void dispatch() {
        while (true) {
            WatchKey key;
            try {
                key = watch.take();
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
            key.pollEvents();
            key.reset(); // false once the directory is gone: then it is registered again by the next register
            synchronized (lock) {
                generation++;
                lock.notifyAll();
            }
        }
    }
}
