package io.wirefx.platform;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs commands as child processes, with a timeout. An optional prefix is put in front of every command line
 * (tests use {@code ip netns exec NS} to confine everything to a namespace). Programs are looked up on {@code PATH};
 * the {@code /usr/sbin} and {@code /sbin} directories are searched too, as root's path usually has them.
 */
public final class ProcessCommandRunner implements CommandRunner {
    private static final List<String> EXTRA_DIRS = List.of("/usr/local/sbin", "/usr/sbin", "/sbin");

    private final List<String> prefix;
    private final long timeoutMillis;

    /** Runs commands directly, 120 s timeout (hooks may be slow). */
    public ProcessCommandRunner() {
        this(List.of(), 120_000);
    }

    /**
     * @param prefix        put in front of every command (e.g. {@code ip netns exec NS}); may be empty
     * @param timeoutMillis per command
     */
    public ProcessCommandRunner(List<String> prefix, long timeoutMillis) {
        this.prefix = List.copyOf(prefix);
        if (timeoutMillis <= 0) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public CommandResult run(List<String> argv, String stdin) throws IOException {
        Objects.requireNonNull(argv, "argv");
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        List<String> full = new ArrayList<>(prefix);
        full.addAll(argv);
        ProcessBuilder pb = new ProcessBuilder(full);
        pb.environment().put("LC_ALL", "C"); // parsed output must not be localized
        pb.environment().put("PATH", searchPath());
        if (stdin == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        Process p = pb.start();
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        if (stdin != null) {
            try (OutputStream os = p.getOutputStream()) {
                os.write(stdin.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the program may exit without reading; its exit code tells what happened
            }
        }
        boolean finished;
        try {
            finished = p.waitFor(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + String.join(" ", argv), e);
        }
        if (!finished) {
            p.destroyForcibly();
            throw new IOException("timed out after " + timeoutMillis + " ms: " + String.join(" ", argv));
        }
        return new CommandResult(p.exitValue(), out.join(), err.join());
    }

    @Override
    public boolean hasProgram(String program) {
        if (program.contains("/")) {
            return Files.isExecutable(Path.of(program));
        }
        for (String dir : searchPath().split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private static String searchPath() {
        String path = System.getenv("PATH");
        StringBuilder sb = new StringBuilder(path == null ? "/usr/bin:/bin" : path);
        List<String> have = List.of(sb.toString().split(File.pathSeparator));
        for (String d : EXTRA_DIRS) {
            if (!have.contains(d)) {
                sb.append(File.pathSeparator).append(d);
            }
        }
        return sb.toString();
    }

    private static CompletableFuture<String> drain(InputStream in) {
        CompletableFuture<String> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (in) {
                f.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                f.completeExceptionally(new UncheckedIOException(e));
            }
        }, "cmd-output");
        t.setDaemon(true);
        t.start();
        return f;
    }

    @Override
    public String toString() {
        return prefix.isEmpty() ? "ProcessCommandRunner" : "ProcessCommandRunner" + prefix;
    }
}
