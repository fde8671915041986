package io.wirefx.platform.macos;

import io.wirefx.platform.ServiceHost;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The service under launchd ({@code /Library/LaunchDaemons/io.wirefx.service.plist}, {@code RunAtLoad},
 * {@code KeepAlive}). launchd has no readiness protocol, so {@link #ready()} and {@link #stopping()} notify nobody;
 * the program stays in the foreground (launchd jobs must not daemonize). {@code launchctl bootout} and shutdown send
 * SIGTERM: the JVM then runs its shutdown hooks, and the one installed by {@link #onStop} runs the service's orderly
 * stop (tunnels down, network changes undone) before the process exits.
 */
public final class LaunchdServiceHost implements ServiceHost {

    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean hooked = new AtomicBoolean();

    /** Nothing to tell launchd. */
    @Override
    public void ready() {
    }

    /** Nothing to tell launchd. */
    @Override
    public void stopping() {
    }

    @Override
    public String describe() {
        return "launchd";
    }

    /**
     * Installs the SIGTERM handling: a shutdown hook that wakes {@link #awaitStop()} and then waits until
     * {@code orderlyStop} (run by the service's own thread after awaitStop returns) has finished.
     */
    public void onStop(Runnable orderlyStop) {
        if (!hooked.compareAndSet(false, true)) {
            throw new IllegalStateException("onStop already installed");
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "wirefx-sigterm"));
        Thread.ofPlatform().daemon().name("wirefx-stopper").start(() -> {
            try {
                stop.await();
                orderlyStop.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                stopped.countDown();
            }
        });
    }

    /** Blocks until launchd (SIGTERM) or {@link #requestStop()} asks the service to stop. */
    public void awaitStop() throws InterruptedException {
        stop.await();
    }

    /** Asks for a stop from inside (e.g. an IPC shutdown request). */
    public void requestStop() {
        stop.countDown();
    }
}
