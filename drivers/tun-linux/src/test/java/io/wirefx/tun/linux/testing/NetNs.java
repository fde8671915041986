package io.wirefx.tun.linux.testing;

import io.wirefx.tun.linux.NetworkNamespaces;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away Linux network namespace for root-only tests, so they never touch the host's network.
 *
 * <ul>
 *   <li>{@link #create()} makes a namespace with a unique random name ({@code ip netns add wfxtun-XXXXXXXX});
 *       {@link #close()} deletes it (also attempted by a shutdown hook if a test forgets).</li>
 *   <li>{@link #runInside} runs code on one dedicated platform thread that has joined the namespace with
 *       {@code setns(2)}: sockets and TUN interfaces created there belong to the namespace. The thread's namespace is
 *       verified before every task. Caveat: threads first started from inside a task (e.g. a lazily created pool)
 *       inherit the namespace.</li>
 *   <li>{@link #ip} runs {@code ip -n NAME ...}; {@link #exec} runs any command with {@code ip netns exec NAME}.</li>
 * </ul>
 *
 * Lives in main (package {@code testing}) so other modules' tests can use it without a test-jar; it is not used by
 * production code.
 */
public final class NetNs implements AutoCloseable {

    /** Default namespace name prefix. */
    public static final String DEFAULT_PREFIX = "wfxtun-";

    private static final Path NETNS_DIR = Path.of("/var/run/netns");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long EXEC_TIMEOUT_SECONDS = 30;
    private static final int CAP_NET_ADMIN = 12;
    private static final int CAP_SYS_ADMIN = 21;

    private final String name;
    private final Path path;
    private final Thread worker;
    private final BlockingQueue<FutureTask<?>> tasks = new LinkedBlockingQueue<>();
    private final Thread cleanupHook;
    private volatile String namespaceId; // "net:[inode]" of the namespace, set once the worker joined it
    private volatile boolean closed;

    private NetNs(String name) throws IOException {
        this.name = name;
        this.path = NETNS_DIR.resolve(name);
        FutureTask<String> join = new FutureTask<>(() -> {
            NetworkNamespaces.enterOnCurrentThread(path);
            return currentThreadNs();
        });
        this.worker = new Thread(this::workLoop, "netns-" + name);
        this.worker.setDaemon(true);
        this.cleanupHook = new Thread(this::deleteQuietly, "netns-cleanup-" + name);
        Runtime.getRuntime().addShutdownHook(cleanupHook);
        worker.start();
        tasks.add(join);
        String joined;
        try {
            joined = join.get(EXEC_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            close();
            throw new IOException("cannot enter network namespace " + name, e instanceof ExecutionException
                    ? e.getCause() : e);
        }
        if (joined.equals(rootNsOfProcess())) {
            close();
            throw new IOException("setns left the worker in the process's namespace");
        }
        this.namespaceId = joined;
    }

    /** Why namespaces cannot be used here (not Linux, not privileged, no {@code ip}), or empty if they can. */
    public static Optional<String> unavailabilityCause() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            return Optional.of("not Linux");
        }
        try {
            long caps = effectiveCapabilities();
            if ((caps & (1L << CAP_SYS_ADMIN)) == 0 || (caps & (1L << CAP_NET_ADMIN)) == 0) {
                return Optional.of("needs root (CAP_SYS_ADMIN and CAP_NET_ADMIN)");
            }
            ExecResult r = run(List.of("ip", "netns", "list"));
            if (r.exitCode() != 0) {
                return Optional.of("'ip netns list' failed: " + r.output().strip());
            }
        } catch (IOException e) {
            return Optional.of("cannot check: " + e.getMessage());
        }
        return Optional.empty();
    }

    /** Creates a namespace named {@value #DEFAULT_PREFIX} followed by 8 random hex digits. */
    public static NetNs create() throws IOException {
        return create(DEFAULT_PREFIX);
    }

    /** Creates a namespace named {@code prefix} followed by 8 random hex digits. */
    public static NetNs create(String prefix) throws IOException {
        if (!prefix.matches("[A-Za-z0-9_.-]{1,40}")) {
            throw new IllegalArgumentException("bad prefix: " + prefix);
        }
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            String candidate = prefix + randomHex(4);
            ExecResult r = run(List.of("ip", "netns", "add", candidate));
            if (r.exitCode() == 0) {
                return new NetNs(candidate);
            }
            last = new IOException("ip netns add " + candidate + ": " + r.output().strip());
        }
        throw last;
    }

    /**
     * A random interface name: {@code prefix} plus hex digits, 15 bytes in all (the kernel's limit).
     *
     * @throws IllegalArgumentException if the prefix leaves fewer than 6 random digits
     */
    public static String uniqueInterfaceName(String prefix) {
        if (!prefix.matches("[a-z][a-z0-9]{0,8}")) {
            throw new IllegalArgumentException("prefix must be 1-9 lowercase letters/digits: " + prefix);
        }
        int digits = 15 - prefix.length();
        return prefix + randomHex((digits + 1) / 2).substring(0, digits);
    }

    /** The namespace name (as in {@code ip netns list}). */
    public String name() {
        return name;
    }

    /** The bind-mounted namespace file, {@code /var/run/netns/NAME}. */
    public Path path() {
        return path;
    }

    /**
     * Runs {@code task} on the namespace's dedicated thread and returns its result. Tasks run one at a time.
     *
     * @throws Exception whatever the task throws; IllegalStateException if the namespace is closed
     */
    public <T> T runInside(Callable<T> task) throws Exception {
        if (closed) {
            throw new IllegalStateException("network namespace " + name + " is closed");
        }
        FutureTask<T> f = new FutureTask<>(() -> {
            String now = currentThreadNs();
            if (!now.equals(namespaceId)) {
                throw new IllegalStateException("worker thread is in " + now + ", expected " + namespaceId);
            }
            return task.call();
        });
        tasks.add(f);
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof Exception ex) {
                throw ex;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** Runs {@code cmd} inside the namespace ({@code ip netns exec NAME cmd...}) and waits for it. */
    public ExecResult exec(String... cmd) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(cmd));
        return run(full);
    }

    /** Like {@link #exec} but throws if the command exits non-zero; returns its output. */
    public String execChecked(String... cmd) throws IOException {
        ExecResult r = exec(cmd);
        if (r.exitCode() != 0) {
            throw new IOException("'" + String.join(" ", cmd) + "' in " + name + " exited " + r.exitCode() + ": "
                    + r.output().strip());
        }
        return r.output();
    }

    /** Runs {@code ip -n NAME args...}, throwing if it fails; returns its output. */
    public String ip(String... args) throws IOException {
        ExecResult r = ipResult(args);
        if (r.exitCode() != 0) {
            throw new IOException("'ip -n " + name + " " + String.join(" ", args) + "' exited " + r.exitCode() + ": "
                    + r.output().strip());
        }
        return r.output();
    }

    /** Runs {@code ip -n NAME args...} and returns the result whatever the exit code. */
    public ExecResult ipResult(String... args) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "-n", name));
        full.addAll(List.of(args));
        return run(full);
    }

    /** True while {@code ip netns list} shows this namespace. */
    public boolean exists() {
        return Files.exists(path);
    }

    /** Stops the worker thread and deletes the namespace (interfaces in it go with it). Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        worker.interrupt();
        try {
            worker.join(TimeUnit.SECONDS.toMillis(EXEC_TIMEOUT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or will run
        }
        try {
            ExecResult r = run(List.of("ip", "netns", "del", name));
            if (r.exitCode() != 0 && exists()) {
                throw new IllegalStateException("ip netns del " + name + ": " + r.output().strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("ip netns del " + name, e);
        }
    }

    @Override
    public String toString() {
        return "NetNs[" + name + "]";
    }

    /** Exit code and combined stdout/stderr of a command. */
    public record ExecResult(int exitCode, String output) {
    }

    // ------------------------------------------------------------------ internals

    private void workLoop() {
        while (!closed) {
            FutureTask<?> t;
            try {
                t = tasks.take();
            } catch (InterruptedException e) {
                break;
            }
            t.run(); // FutureTask captures every Throwable, so this thread never dies with a task
        }
        for (FutureTask<?> t : tasks) {
            t.cancel(false);
        }
    }

    private void deleteQuietly() {
        try {
            run(List.of("ip", "netns", "del", name));
        } catch (IOException | RuntimeException ignored) {
            // best effort at JVM exit
        }
    }

    private static String currentThreadNs() throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
    }

    private static String rootNsOfProcess() throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
    }

    private static long effectiveCapabilities() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
            if (line.startsWith("CapEff:")) {
                return Long.parseUnsignedLong(line.substring(7).strip(), 16);
            }
        }
        throw new IOException("no CapEff in /proc/self/status");
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static ExecResult run(List<String> cmd) throws IOException {
        Path out = Files.createTempFile("netns-exec", ".out");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            boolean done;
            try {
                done = p.waitFor(EXEC_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted running " + cmd, e);
            }
            if (!done) {
                p.destroyForcibly();
                throw new IOException("timed out running " + cmd);
            }
            return new ExecResult(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
