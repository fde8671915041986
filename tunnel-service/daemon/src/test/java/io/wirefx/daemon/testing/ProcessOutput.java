package io.wirefx.daemon.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/** A child process's (merged) output, read line by line on a daemon thread, for tests that wait for a line. */
public final class ProcessOutput {
    private final Process process;
    private final String name;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    /** @param name what the process is, in failure messages ("the service", "wirefx run") */
    public ProcessOutput(Process process, String name) {
        this.process = process;
        this.name = name;
        reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                }
            } catch (IOException ignored) {
                // process gone
            }
        }, "process-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** All lines read so far. */
    public String text() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    /**
     * Polls every 50 ms until a line contains {@code fragment}; fails when the process exits without printing it,
     * or after {@code timeout} (a hang guard on a shared machine, not a speed limit).
     */
    public void awaitLine(String fragment, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!text().contains(fragment)) {
            if (!process.isAlive()) {
                Thread.sleep(200); // let the reader drain
                if (!text().contains(fragment)) {
                    fail(name + " exited " + process.exitValue() + " before '" + fragment + "':\n" + text());
                }
                return;
            }
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for '" + fragment + "' from " + name + "; output so far:\n" + text());
            }
            Thread.sleep(50);
        }
    }

    /** Waits up to {@code timeout} for the end of the output (after the process exited). */
    public void awaitEnd(Duration timeout) throws InterruptedException {
        reader.join(timeout.toMillis());
    }
}
