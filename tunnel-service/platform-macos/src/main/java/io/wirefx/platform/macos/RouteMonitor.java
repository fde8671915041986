package io.wirefx.platform.macos;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * darwin.bash's route monitor: reads the output of {@code route -n monitor} and, for routing messages (lines that start
 * with {@code RTM_}), lets the tunnel re-apply its endpoint routes, MTU and DNS ({@link MacTunnelNetwork#networkChanged}),
 * which happens on a Wi-Fi switch, a cable plugged in, or sleep/wake. A burst of messages is handled once, after
 * {@code quietMillis} without a new one; when the tunnel has DNS servers, DNS is set again two seconds later (as
 * darwin.bash's {@code ALRM} trap does, since the system may rewrite it after the change). Ends when the stream ends,
 * the tunnel reports its interface gone, or {@link #close()}.
 */
final class RouteMonitor implements AutoCloseable {

    /** What the monitor drives. */
    interface Target {
        /** One network change; false when the interface is gone (the monitor ends). */
        boolean networkChanged() throws IOException;

        /** DNS again, a while after a change. */
        void reapplyDns() throws IOException;

        boolean hasDns();
    }

    static final long DNS_AGAIN_MILLIS = 2000;

    private final Target target;
    private final long quietMillis;
    private final Consumer<String> log;
    private final ScheduledExecutorService timer;
    private final Thread reader;
    private final AutoCloseable source;
    private ScheduledFuture<?> pending;
    private volatile boolean closed;

    /**
     * Starts reading {@code events} on a daemon thread.
     *
     * @param source closed by {@link #close()} to end the read (e.g. the {@code route -n monitor} process)
     */
    RouteMonitor(Reader events, AutoCloseable source, Target target, long quietMillis, Consumer<String> log) {
        this.target = target;
        this.quietMillis = quietMillis;
        this.log = log;
        this.source = source;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wirefx-route-monitor-apply");
            t.setDaemon(true);
            return t;
        });
        this.reader = new Thread(() -> read(new BufferedReader(events)), "wirefx-route-monitor");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code route -n monitor} (found on the search path) and monitors its output. */
    static RouteMonitor start(Target target, Consumer<String> log) throws IOException {
        Process p = new ProcessBuilder("route", "-n", "monitor").redirectErrorStream(true).start();
        return new RouteMonitor(p.inputReader(), p::destroy, target, 250, log);
    }

    private void read(BufferedReader in) {
        try (in) {
            String line;
            while (!closed && (line = in.readLine()) != null) {
                if (line.startsWith("RTM_")) {
                    schedule();
                }
            }
        } catch (IOException e) {
            if (!closed) {
                log.accept("route monitor stopped: " + e.getMessage());
            }
        }
    }

    private synchronized void schedule() {
        if (closed) {
            return;
        }
        if (pending != null) {
            pending.cancel(false);
        }
        pending = timer.schedule(this::apply, quietMillis, TimeUnit.MILLISECONDS);
    }

    private void apply() {
        try {
            if (!target.networkChanged()) {
                close();
                return;
            }
            if (target.hasDns() && !closed) {
                timer.schedule(() -> {
                    try {
                        if (!closed) {
                            target.reapplyDns();
                        }
                    } catch (IOException | RuntimeException e) {
                        log.accept("DNS re-apply failed: " + e.getMessage());
                    }
                }, DNS_AGAIN_MILLIS, TimeUnit.MILLISECONDS);
            }
        } catch (IOException | RuntimeException e) {
            log.accept("network change handling failed: " + e.getMessage());
        }
    }

    /** Whether the monitor still runs. */
    boolean isRunning() {
        return !closed;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        timer.shutdownNow();
        try {
            source.close();
        } catch (Exception e) {
            log.accept("closing the route monitor: " + e.getMessage());
        }
    }
}
