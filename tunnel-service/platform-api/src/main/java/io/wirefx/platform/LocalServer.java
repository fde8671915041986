package io.wirefx.platform;

import java.io.IOException;

/** A listening local endpoint. */
public interface LocalServer extends AutoCloseable {

    /** The address it listens on, for messages. */
    String address();

    /**
     * Waits for the next caller.
     *
     * @throws java.nio.channels.ClosedChannelException once {@link #close()} was called
     */
    LocalConnection accept() throws IOException;

    /**
     * True while the endpoint still exists where it was created (a deleted socket file means someone asked the
     * tunnel to stop, as with wireguard-go). Endpoints that cannot be deleted from outside are always present.
     */
    default boolean stillPresent() {
        return true;
    }

    /**
     * Returns once {@link #stillPresent()} turns false: the endpoint was deleted or replaced from outside. This default
     * checks once a second; endpoints that can tell sooner, or that cannot be deleted at all, override it.
     *
     * @throws InterruptedException when the waiting thread is interrupted (as by whoever closes the server)
     */
    default void awaitRemoval() throws InterruptedException {
        while (stillPresent()) {
            Thread.sleep(1000);
        }
    }

    /** Stops listening, removes the endpoint and wakes a blocked {@link #accept()}. Never throws. */
    @Override
    void close();
}
