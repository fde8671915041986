package io.wirefx.daemon.run;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** A one-shot "please stop" with its reason; the first request wins. Thread-safe. */
public final class StopRequest {
    private final CountDownLatch latch = new CountDownLatch(1);
    private final AtomicReference<String> reason = new AtomicReference<>();

    /** Requests the stop; later requests are ignored. */
    public void request(String why) {
        if (reason.compareAndSet(null, why)) {
            latch.countDown();
        }
    }

    public boolean isRequested() {
        return latch.getCount() == 0;
    }

    /** The first reason given, or null. */
    public String reason() {
        return reason.get();
    }

    /** Waits for the request; returns its reason. */
    public String await() throws InterruptedException {
        latch.await();
        return reason.get();
    }

    /** Waits at most {@code millis}; returns true if requested. */
    public boolean await(long millis) throws InterruptedException {
        return latch.await(millis, TimeUnit.MILLISECONDS);
    }
}
