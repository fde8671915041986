package io.wirefx.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Worker threads that help with the crypto of {@link ParallelJob}s (encryption and decryption share them, like
 * wireguard-go's per-CPU workers). A job is offered once per extra helper wanted; if the queue is full the offer is
 * dropped, and the consumer does that share itself, so dispatch never blocks.
 */
final class CryptoPool {
    private final ArrayBlockingQueue<ParallelJob> queue;
    private final List<Thread> threads = new ArrayList<>();
    private final int workers;
    private volatile boolean stopped;

    CryptoPool(int workers, String namePrefix) {
        this.workers = workers;
        this.queue = new ArrayBlockingQueue<>(Math.max(16, workers * 16));
        for (int i = 0; i < workers; i++) {
            Thread t = WireGuardEngine.engineThread(namePrefix + "crypto-" + i, this::run);
            threads.add(t);
        }
    }

    int workers() {
        return workers;
    }

    void start() {
        threads.forEach(Thread::start);
    }

    /** How many chunks to cut {@code count} items into: one per helper, each at least {@code minChunk} items. */
    int chunksFor(int count, int minChunk) {
        if (workers == 0 || count <= minChunk) {
            return 1;
        }
        return Math.min(workers + 1, (count + minChunk - 1) / minChunk);
    }

    /** Starts the job's round and asks up to {@code chunks - 1} workers to help. */
    void dispatch(ParallelJob job, int count, int chunks) {
        job.start(count, chunks);
        for (int i = 1; i < chunks && !stopped; i++) {
            if (!queue.offer(job)) {
                break;
            }
        }
    }

    private void run() {
        while (!stopped) {
            ParallelJob job;
            try {
                job = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            job.help();
        }
    }

    void stop() {
        stopped = true;
        threads.forEach(Thread::interrupt);
    }

    List<Thread> threads() {
        return threads;
    }
}
