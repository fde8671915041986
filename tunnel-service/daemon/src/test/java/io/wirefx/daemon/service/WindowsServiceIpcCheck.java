package io.wirefx.daemon.service;

import io.wirefx.ipc.Event;
import io.wirefx.ipc.EventKind;
import io.wirefx.ipc.IpcClient;
import io.wirefx.ipc.IpcTransports;
import io.wirefx.ipc.Role;
import io.wirefx.ipc.TunnelState;
import io.wirefx.ipc.TunnelSummary;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Drives the installed Windows service over its IPC pipe with {@link IpcClient} and the pipe transport
 * (ipc-windows), for the Windows CI job: the hello (expects the admin role), state events subscribed, a split tunnel
 * created, listed, brought up (the RUNNING event, while the client's reader is blocked on the pipe and requests are
 * written), down, deleted. Exits non-zero with the reason on any failure.
 *
 * <p>Usage: {@code WindowsServiceIpcCheck [PIPE]} (default: the transports' default address, on Windows
 * {@code \\.\pipe\WireFX\service}).
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

    private WindowsServiceIpcCheck() {
    }

    public static void main(String[] args) throws Exception {
        String address = args.length > 0 ? args[0] : IpcTransports.defaultAddress();
        System.out.println("transport: " + IpcTransports.forAddress(address).name() + " " + address);
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        try (IpcClient c = IpcClient.connect(address, "windows-ci", events::add, Duration.ofSeconds(60))) {
            if (c.role() != Role.ADMIN) {
                throw new IllegalStateException("expected the admin role, got " + c.role());
            }
            System.out.println("hello: " + c.serverVersion() + " as " + c.role());
            c.subscribe(EnumSet.of(EventKind.TUNNEL_STATE));
            c.create("wfxci", CONFIG);
            System.out.println("list: " + c.list());
            c.start("wfxci");
            await(events, TunnelState.RUNNING);
            System.out.println("up: " + c.list());
            c.stop("wfxci");
            await(events, TunnelState.STOPPED);
            System.out.println("down: " + c.list());
            c.delete("wfxci");
            List<TunnelSummary> left = c.list();
            if (left.stream().anyMatch(t -> t.name().equals("wfxci"))) {
                throw new IllegalStateException("tunnel left after delete: " + left);
            }
        }
        System.out.println("IPC check passed");
    }

    private static void await(BlockingQueue<Event> events, TunnelState state) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            Event e = events.poll(end - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new IllegalStateException("no event: tunnel wfxci " + state + " within 60 s");
            }
            if (e instanceof Event.TunnelStateChanged s && s.name().equals("wfxci")) {
                System.out.println("event: " + s);
                if (s.state() == state) {
                    return;
                }
                if (s.state() == TunnelState.FAILED) {
                    throw new IllegalStateException("tunnel wfxci failed: " + s.reason());
                }
            }
        }
    }
}
