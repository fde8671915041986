package io.wirefx.daemon.interop;

import io.wirefx.core.crypto.KeyPair;
import io.wirefx.tun.linux.testing.NetNs;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One WireGuard interface in a test namespace, run by WireFX or wireguard-go in the foreground and configured only
 * with stock {@code wg} and {@code ip}. Node {@code i} gets tunnel addresses {@code 10.99.0.i/24} and
 * {@code fd99::i/64}. Its interface (and UAPI socket) name is unique, since {@code /var/run/wireguard} is shared by
 * all namespaces.
 */
final class WgNode implements AutoCloseable {

    private static final SecureRandom RNG = new SecureRandom();
    private static final long START_TIMEOUT_MS = 60_000;

    final Impl impl;
    final NetNs ns;
    final int index;
    final String name;
    final KeyPair keys;
    private final Path dir;
    private final Path log;
    private final Path keyFile;
    private Process process;

    private WgNode(Impl impl, NetNs ns, int index, Path workDir) throws IOException {
        this.impl = impl;
        this.ns = ns;
        this.index = index;
        this.name = NetNs.uniqueInterfaceName(impl == Impl.WIREFX ? "wfx" : "wgo");
        this.keys = KeyPair.generate(RNG);
        this.dir = Files.createDirectories(workDir.resolve(name));
        this.log = dir.resolve("daemon.log");
        this.keyFile = dir.resolve("private.key");
        Files.writeString(Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------"))), keys.privateKey().toBase64() + "\n");
    }

    /** Starts the daemon for node {@code index} in {@code ns} and waits until its UAPI socket answers. */
    static WgNode start(Impl impl, NetNs ns, int index, Path workDir) throws IOException, InterruptedException {
        WgNode n = new WgNode(impl, ns, index, workDir);
        try {
            n.startDaemon();
            return n;
        } catch (IOException | InterruptedException | RuntimeException e) {
            n.close();
            throw e;
        }
    }

    private void startDaemon() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns.name(), "env", "LOG_LEVEL=verbose",
                "WG_PROCESS_FOREGROUND=1"));
        if (impl == Impl.WIREFX) {
            cmd.add("WIREFX_CLASSPATH=" + Interop.daemonClassPath());
            cmd.add(Interop.launcher().toString());
        } else {
            cmd.add("wireguard-go");
        }
        cmd.addAll(List.of("-f", name));
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
        while (!socketAnswers()) {
            if (!process.isAlive()) {
                throw new IOException(impl + " " + name + " exited with " + process.exitValue() + ":\n" + logText());
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(impl + " " + name + " not ready after " + START_TIMEOUT_MS + " ms:\n" + logText());
            }
            Thread.sleep(20);
        }
    }

    Path socket() {
        return Interop.SOCKET_DIR.resolve(name + ".sock");
    }

    boolean socketAnswers() {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket()));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    Process process() {
        return process;
    }

    String publicKey() {
        return keys.publicKey().toBase64();
    }

    String tunnel4() {
        return "10.99.0." + index;
    }

    String tunnel6() {
        return "fd99::" + index;
    }

    /** Runs {@code wg ARGS} inside the namespace, failing on a non-zero exit; returns its output. */
    String wg(String... args) throws IOException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "wg";
        System.arraycopy(args, 0, cmd, 1, args.length);
        return ns.execChecked(cmd);
    }

    /** {@code wg set NAME private-key FILE listen-port PORT}. */
    void setIdentity(int listenPort) throws IOException {
        wg("set", name, "private-key", keyFile.toString(), "listen-port", Integer.toString(listenPort));
    }

    /** Adds {@code peer} with its tunnel addresses as allowed IPs, and the optional endpoint, PSK and keepalive. */
    void addPeer(WgNode peer, String endpoint, Path pskFile, int keepalive) throws IOException {
        List<String> a = new ArrayList<>(List.of("set", name, "peer", peer.publicKey(), "allowed-ips",
                peer.tunnel4() + "/32," + peer.tunnel6() + "/128"));
        if (endpoint != null) {
            a.addAll(List.of("endpoint", endpoint));
        }
        if (pskFile != null) {
            a.addAll(List.of("preshared-key", pskFile.toString()));
        }
        if (keepalive > 0) {
            a.addAll(List.of("persistent-keepalive", Integer.toString(keepalive)));
        }
        wg(a.toArray(String[]::new));
    }

    /** Adds the tunnel addresses to the interface and brings it up. */
    void up() throws IOException {
        ns.ip("addr", "add", tunnel4() + "/24", "dev", name);
        ns.ip("addr", "add", tunnel6() + "/64", "dev", name, "nodad");
        ns.ip("link", "set", name, "up");
    }

    /** {@code ping -c COUNT -i 0.2 -W 1 DST} inside the namespace; true if every echo was answered. */
    boolean ping(String dst, int count) throws IOException {
        NetNs.ExecResult r = ns.exec("ping", "-n", "-q", "-c", Integer.toString(count), "-i", "0.2", "-W", "1", dst);
        return r.exitCode() == 0 && r.output().contains(" " + count + " received");
    }

    /**
     * Starts {@code ping -c COUNT -i 0.2 -W 1 DST} in the namespace without waiting (for runs longer than
     * {@link NetNs#exec}'s time limit); the future yields its summary output.
     */
    java.util.concurrent.CompletableFuture<String> pingAsync(String dst, int count) throws IOException {
        Path out = Files.createTempFile(dir, "ping", ".out");
        Process p = new ProcessBuilder("ip", "netns", "exec", ns.name(), "ping", "-n", "-q", "-c",
                Integer.toString(count), "-i", "0.2", "-W", "1", dst).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        return p.onExit().thenApply(done -> {
            try {
                return Files.readString(out);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).whenComplete((r, e) -> p.destroy());
    }

    /** Pings {@code dst} until one echo is answered (a handshake may be needed first); false after the timeout. */
    boolean pingUntilReply(String dst, long timeoutMs) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline) {
            if (ns.exec("ping", "-n", "-q", "-c", "1", "-W", "1", dst).exitCode() == 0) {
                return true;
            }
        }
        return false;
    }

    /** One peer line of {@code wg show NAME dump}. */
    record PeerDump(String publicKey, String presharedKey, String endpoint, String allowedIps,
            long latestHandshake, long rx, long tx, String keepalive) {
    }

    /** The peers as {@code wg show NAME dump} lists them. */
    List<PeerDump> dump() throws IOException {
        String[] lines = wg("show", name, "dump").strip().split("\n");
        List<PeerDump> peers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) { // line 0 is the interface
            String[] f = lines[i].split("\t");
            peers.add(new PeerDump(f[0], f[1], f[2], f[3], Long.parseLong(f[4]), Long.parseLong(f[5]),
                    Long.parseLong(f[6]), f[7]));
        }
        return peers;
    }

    /** This node's view of {@code peer}. */
    PeerDump dumpOf(WgNode peer) throws IOException {
        return dumpOf(peer.publicKey());
    }

    /** This node's view of the peer with this (base64) public key. */
    PeerDump dumpOf(String publicKey) throws IOException {
        return dump().stream().filter(p -> p.publicKey().equals(publicKey)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " does not list peer " + publicKey));
    }

    String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no log)";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** The last lines of the daemon log, for failure messages. */
    String logTail() {
        String[] lines = logText().split("\n");
        int from = Math.max(0, lines.length - 40);
        return "---- " + impl + " " + name + " log (last " + (lines.length - from) + " lines) ----\n"
                + String.join("\n", List.of(lines).subList(from, lines.length));
    }

    /** Stops the daemon with SIGTERM (SIGKILL after 15 s); returns its exit code, or empty if it was not running. */
    Optional<Integer> stop() throws InterruptedException {
        if (process == null) {
            return Optional.empty();
        }
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        return Optional.of(process.exitValue());
    }

    /** Stops the daemon if running and removes its socket if it was left behind. Never throws. */
    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } catch (RuntimeException ignored) {
            // best effort
        }
        try {
            Files.deleteIfExists(socket());
        } catch (IOException ignored) {
            // best effort
        }
    }

    boolean socketExists() {
        return Files.exists(socket(), LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public String toString() {
        return impl + "[" + name + " in " + ns.name() + "]";
    }
}
