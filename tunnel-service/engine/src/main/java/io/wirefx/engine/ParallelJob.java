package io.wirefx.engine;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A batch whose crypto work is split into chunks that any thread may claim: the {@link CryptoPool} workers and the
 * stage thread that consumes the batch ({@link #helpAndAwait}), which runs whatever is still unclaimed itself. With
 * no workers the consumer simply does all the work inline.
 *
 * <p>Jobs are pooled and reused, and a worker may still hold a reference from an earlier use. Claims therefore go
 * through one atomic word holding {@code generation | chunks | next}: a stale worker's CAS fails or claims in the new
 * generation (whose data was published before the word), never a chunk of half-prepared data.
 */
abstract class ParallelJob {
    private static final int MAX_CHUNKS = 255;

    // bits 0-31 next chunk, 32-39 chunk count, 40-63 generation
    private final AtomicLong state = new AtomicLong();
    private final AtomicInteger done = new AtomicInteger();
    private volatile Thread waiter;
    private int count;

    /**
     * Does the crypto work for items {@code [from, to)}, which are chunk number {@code chunk} of this round; must not
     * throw (failures are recorded per item).
     */
    abstract void runChunk(int chunk, int from, int to);

    /** Publishes a new round of {@code chunks} chunks over {@code count} items (call after preparing the data). */
    final void start(int count, int chunks) {
        if (chunks < 1 || chunks > MAX_CHUNKS) {
            throw new IllegalArgumentException("chunks " + chunks);
        }
        this.count = count;
        done.set(0);
        long gen = (state.get() >>> 40) + 1;
        state.set((gen << 40) | ((long) chunks << 32));
    }

    /** Claims and runs chunks until none is left. */
    final void help() {
        while (true) {
            long s = state.get();
            int next = (int) s;
            int chunks = (int) (s >>> 32) & 0xff;
            if (next >= chunks) {
                return;
            }
            if (!state.compareAndSet(s, s + 1)) {
                continue;
            }
            int n = count;
            try {
                runChunk(next, (int) ((long) next * n / chunks), (int) ((long) (next + 1) * n / chunks));
            } finally {
                if (done.incrementAndGet() == chunks) {
                    Thread w = waiter;
                    if (w != null) {
                        LockSupport.unpark(w);
                    }
                }
            }
        }
    }

    /** Helps, then waits until every chunk of the current round has finished. */
    final void helpAndAwait() {
        help();
        int chunks = (int) (state.get() >>> 32) & 0xff;
        if (done.get() >= chunks) {
            return;
        }
        waiter = Thread.currentThread();
        try {
            while (done.get() < chunks) {
                LockSupport.park(this);
            }
        } finally {
            waiter = null;
        }
    }
}
