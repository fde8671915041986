package io.wirefx.daemon.interop;

import io.wirefx.tun.linux.testing.NetNs;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A TCP transfer through the tunnel between two namespaces, with a SHA-256 of the bytes computed at both ends.
 * Sockets are created on each namespace's worker thread ({@link NetNs#runInside}), which fixes their namespace;
 * the data is then moved from ordinary threads.
 */
final class TcpTransfer {

    /** What each end saw. */
    record Result(long sentBytes, String sentSha256, long receivedBytes, String receivedSha256, long nanos) {
        double megabitsPerSecond() {
            return receivedBytes * 8.0 / (nanos / 1e9) / 1e6;
        }
    }

    private TcpTransfer() {
    }

    /**
     * Sends {@code bytes} pseudo-random bytes from {@code clientNs} to {@code serverAddress}:{@code port}, where a
     * server socket is opened in {@code serverNs}.
     */
    static Result run(NetNs serverNs, String serverAddress, int port, NetNs clientNs, long bytes, long seed)
            throws Exception {
        InetAddress addr = InetAddress.getByName(serverAddress);
        ServerSocket server = serverNs.runInside(() -> {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(addr, port), 1);
            s.setSoTimeout(30_000);
            return s;
        });
        try (server) {
            CompletableFuture<long[]> receiverCount = new CompletableFuture<>();
            CompletableFuture<String> receiverHash = new CompletableFuture<>();
            Thread receiver = Thread.ofPlatform().daemon().start(() -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                    s.setSoTimeout(30_000);
                    MessageDigest md = MessageDigest.getInstance("SHA-256");
                    byte[] buf = new byte[1 << 16];
                    long total = 0;
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        md.update(buf, 0, n);
                        total += n;
                    }
                    receiverCount.complete(new long[]{total});
                    receiverHash.complete(HexFormat.of().formatHex(md.digest()));
                } catch (Exception e) {
                    receiverCount.completeExceptionally(e);
                    receiverHash.completeExceptionally(e);
                }
            });
            long start = System.nanoTime();
            Socket client = clientNs.runInside(() -> {
                Socket s = new Socket();
                s.connect(new InetSocketAddress(addr, port), 15_000);
                return s;
            });
            CompletableFuture<String> senderHash = new CompletableFuture<>();
            long[] sent = new long[1];
            Thread sender = Thread.ofPlatform().daemon().start(() -> {
                try (OutputStream out = client.getOutputStream()) {
                    MessageDigest md = MessageDigest.getInstance("SHA-256");
                    SplittableRandom rnd = new SplittableRandom(seed);
                    byte[] buf = new byte[1 << 16];
                    while (sent[0] < bytes) {
                        int n = (int) Math.min(buf.length, bytes - sent[0]);
                        for (int i = 0; i < n; i += 8) {
                            long v = rnd.nextLong();
                            for (int j = 0; j < 8 && i + j < n; j++) {
                                buf[i + j] = (byte) (v >>> (8 * j));
                            }
                        }
                        out.write(buf, 0, n);
                        md.update(buf, 0, n);
                        sent[0] += n;
                    }
                    senderHash.complete(HexFormat.of().formatHex(md.digest()));
                } catch (Exception e) {
                    senderHash.completeExceptionally(e);
                }
            });
            long received;
            String rh;
            String sh;
            try {
                // Generous: a stalled tunnel fails here rather than hanging (blocking writes cannot time out).
                long timeoutSec = 60 + bytes / (1 << 20);
                sh = senderHash.get(timeoutSec, TimeUnit.SECONDS);
                received = receiverCount.get(60, TimeUnit.SECONDS)[0];
                rh = receiverHash.get(5, TimeUnit.SECONDS);
            } finally {
                client.close(); // unblocks a stuck sender
                server.close();
                sender.join(5_000);
                receiver.join(5_000);
            }
            long nanos = System.nanoTime() - start;
            return new Result(sent[0], sh, received, rh, nanos);
        }
    }
}
