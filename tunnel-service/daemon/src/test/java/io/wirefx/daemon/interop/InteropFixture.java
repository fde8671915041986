package io.wirefx.daemon.interop;

import io.wirefx.core.crypto.KeyPair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Base of the interop tests: builds two namespaces with one WireGuard node each, configures them with stock
 * {@code wg}, and tears everything down after each test, also when it failed.
 */
abstract class InteropFixture {

    /** UDP listen port of node {@code i}. */
    static int port(int i) {
        return 51000 + i;
    }

    @TempDir
    Path work;

    private final Deque<AutoCloseable> cleanup = new ArrayDeque<>();
    TestNet net;
    WgNode[] nodes = new WgNode[3]; // [1] and [2]

    @BeforeEach
    void checkAvailable() {
        Interop.assumeAvailable();
    }

    @AfterEach
    void tearDown() throws Exception {
        Exception first = null;
        while (!cleanup.isEmpty()) {
            try {
                cleanup.pop().close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Registers something to close after the test (closed in reverse order). */
    <T extends AutoCloseable> T closeLater(T c) {
        cleanup.push(c);
        return c;
    }

    /** Creates the namespaces and starts node 1 ({@code impl1}) and node 2 ({@code impl2}), not yet configured. */
    void start(Impl impl1, Impl impl2) throws Exception {
        net = closeLater(TestNet.create());
        nodes[1] = closeLater(WgNode.start(impl1, net.ns(1), 1, work));
        nodes[2] = closeLater(WgNode.start(impl2, net.ns(2), 2, work));
    }

    WgNode node(int i) {
        return nodes[i];
    }

    static int other(int i) {
        return 3 - i;
    }

    /** {@code 10.200.0.i:port} or {@code [fd00:200::i]:port}. */
    static String endpointOf(int i, boolean ipv6) {
        return ipv6 ? "[" + TestNet.outer6(i) + "]:" + port(i) : TestNet.outer4(i) + ":" + port(i);
    }

    /** Options for {@link #configure}. */
    record Setup(boolean endpoint1, boolean endpoint2, boolean ipv6Outer, Path psk1, Path psk2) {
        /** Both nodes know each other's IPv4 endpoint. */
        static Setup both() {
            return new Setup(true, true, false, null, null);
        }

        /** Only node {@code i} knows the other's endpoint, so only it can initiate. */
        static Setup onlyKnows(int i) {
            return new Setup(i == 1, i == 2, false, null, null);
        }

        Setup ipv6() {
            return new Setup(endpoint1, endpoint2, true, psk1, psk2);
        }

        Setup psk(Path p1, Path p2) {
            return new Setup(endpoint1, endpoint2, ipv6Outer, p1, p2);
        }
    }

    /** Gives both nodes their identity and each other as a peer, adds the tunnel addresses, brings both up. */
    void configure(Setup s) throws IOException {
        for (int i = 1; i <= 2; i++) {
            WgNode n = node(i);
            n.setIdentity(port(i));
            boolean knows = i == 1 ? s.endpoint1() : s.endpoint2();
            n.addPeer(node(other(i)), knows ? endpointOf(other(i), s.ipv6Outer()) : null,
                    i == 1 ? s.psk1() : s.psk2(), 0);
            n.up();
        }
    }

    /** A new random preshared key in a 0600 file. */
    Path newPsk(String name) throws IOException {
        Path p = Files.createFile(work.resolve(name + ".psk"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(p, KeyPair.generate(new SecureRandom()).privateKey().toBase64() + "\n");
        return p;
    }

    /** Both daemons' log tails, for failure messages. */
    String logs() {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 2; i++) {
            if (nodes[i] != null) {
                sb.append('\n').append(nodes[i].logTail());
            }
        }
        return sb.toString();
    }
}
