package io.wirefx.daemon.service;

import io.wirefx.ipc.ClientHello;
import io.wirefx.ipc.FrameCodec;
import io.wirefx.ipc.Message;
import io.wirefx.ipc.Protocol;
import io.wirefx.ipc.Request;
import io.wirefx.ipc.Response;
import io.wirefx.ipc.ServerHello;
import io.wirefx.ipc.TunnelState;
import io.wirefx.ipc.TunnelSummary;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.util.List;

/**
 * Drives the installed Windows service over its IPC pipe, for the Windows CI job: hello (expects the admin role), a
 * split tunnel created, listed, brought up (waits for RUNNING), down, deleted. One request at a time on a synchronous
 * pipe handle (the CLI's client speaks Unix sockets only). Exits non-zero with the reason on any failure.
 *
 * <p>Usage: {@code WindowsServiceIpcCheck [PIPE]} (default {@code \\.\pipe\WireFX\service}).
 */
public final class WindowsServiceIpcCheck {

    static final String CONFIG = """
            [Interface]
            PrivateKey = 8M6HWVcFLzKIQ+fJvHTfVSO7QqSceT/kVbEe5Khyn3o=
            Address = 10.213.0.2/24

            [Peer]
            PublicKey = bzAIt0cK7swsljAQC5RKtaZfW0zLdtChiQVvpHuwxU4=
            AllowedIPs = 10.213.0.0/24
            Endpoint = 192.0.2.1:51820
            """;

    private final FileChannel pipe;
    private long nextId = 1;

    private WindowsServiceIpcCheck(FileChannel pipe) {
        this.pipe = pipe;
    }

    public static void main(String[] args) throws Exception {
        String name = args.length > 0 ? args[0] : "\\\\.\\pipe\\WireFX\\service";
        try (RandomAccessFile f = new RandomAccessFile(name, "rw")) {
            new WindowsServiceIpcCheck(f.getChannel()).check();
        }
        System.out.println("IPC check passed");
    }

    private void check() throws Exception {
        FrameCodec.writeMessage(pipe, new ClientHello(Protocol.VERSION, "windows-ci"));
        Message hello = FrameCodec.readMessage(pipe);
        if (!(hello instanceof ServerHello h) || h.role() != io.wirefx.ipc.Role.ADMIN) {
            throw new IllegalStateException("expected an admin hello, got " + hello);
        }
        System.out.println("hello: " + hello);
        ok(call(new Request.CreateTunnel(nextId, "wfxci", CONFIG)));
        System.out.println("list: " + tunnels());
        ok(call(new Request.StartTunnel(nextId, "wfxci")));
        await(TunnelState.RUNNING);
        System.out.println("up: " + tunnels());
        ok(call(new Request.StopTunnel(nextId, "wfxci")));
        await(TunnelState.STOPPED);
        System.out.println("down: " + tunnels());
        ok(call(new Request.DeleteTunnel(nextId, "wfxci")));
        if (!tunnels().isEmpty()) {
            throw new IllegalStateException("tunnel left after delete: " + tunnels());
        }
    }

    private Message call(Request r) throws Exception {
        nextId++;
        FrameCodec.writeMessage(pipe, r);
        while (true) {
            Message m = FrameCodec.readMessage(pipe);
            if (m == null) {
                throw new IOException("the service closed the pipe");
            }
            if (m instanceof Response) {
                return m;
            }
            // events are not subscribed to; anything else is skipped
        }
    }

    private static void ok(Message m) {
        if (m instanceof Response.Failure f) {
            throw new IllegalStateException("request failed: " + f.code() + " " + f.message());
        }
    }

    private List<TunnelSummary> tunnels() throws Exception {
        Message m = call(new Request.ListTunnels(nextId));
        ok(m);
        return ((Response.TunnelList) m).tunnels();
    }

    private void await(TunnelState state) throws Exception {
        long end = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < end) {
            if (tunnels().stream().anyMatch(t -> t.name().equals("wfxci") && t.state() == state)) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("tunnel wfxci not " + state + ": " + tunnels());
    }
}
