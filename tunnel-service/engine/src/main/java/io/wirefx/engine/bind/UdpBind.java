package io.wirefx.engine.bind;

import java.io.IOException;

/**
 * The UDP side of a WireGuard device: one local port, IPv4 and (where available) IPv6, batch-shaped I/O.
 *
 * <h2>Threading</h2>
 * {@link #receive} may be called from one or more threads (implementations serialize concurrent receivers);
 * {@link #send} from any number of threads at once. {@link #close} may be called from any thread and wakes every
 * blocked receiver, which then returns {@code -1}.
 *
 * <h2>Errors</h2>
 * Sending is best-effort like the network itself: a datagram the OS refuses (no route, unreachable, an address family
 * this bind has no socket for, buffer exhaustion that outlasts a short wait) is dropped and counted in
 * {@link Stats#sendErrors()}, never thrown. Receives drop (and count) datagrams larger than the batch's
 * {@link DatagramBatch#packetCapacity()} rather than truncating them. Only a closed bind makes {@code send} throw.
 *
 * <h2>Implementations</h2>
 * {@link io.wirefx.engine.bind.linux.LinuxUdpBind} (native sockets, {@code recvmmsg}/{@code sendmmsg}, UDP GSO and GRO,
 * {@code SO_MARK}) and {@link NioUdpBind} (portable, no fwmark). {@link UdpBinds#open(int)} picks the best available
 * one.
 */
public interface UdpBind extends AutoCloseable {

    /**
     * Receives datagrams into {@code batch}: clears it, blocks until at least one datagram is there, then fills slots
     * {@code 0 .. n-1} (at {@code offset == headroom}, {@link DatagramBatch#endpoint} = source) with as many as are
     * queued right now, up to the batch capacity.
     *
     * @return the number of datagrams ({@code >= 1}, also in {@code batch.count()}), or {@code -1} once the bind is
     *         closed (then {@code batch.count() == 0})
     * @throws IOException on an unexpected OS error
     */
    int receive(DatagramBatch batch) throws IOException;

    /**
     * Sends slots {@code 0 .. count()-1} that have a non-null endpoint, in slot order, each to its endpoint. Blocks
     * only briefly when the socket buffer is full. The batch is not modified.
     *
     * @return the number of datagrams handed to the OS
     * @throws java.nio.channels.ClosedChannelException if the bind is closed
     * @throws IOException on an unexpected OS error
     */
    int send(DatagramBatch batch) throws IOException;

    /** The UDP port actually bound (the same for IPv4 and IPv6). */
    int localPort();

    /** True if this bind has an IPv6 socket. */
    boolean hasIpv6();

    /** True if this bind has an IPv4 socket (a dual-stack IPv6 socket counts). */
    boolean hasIpv4();

    /**
     * Sets the firewall mark on outgoing packets (Linux {@code SO_MARK}); 0 clears it.
     *
     * @throws java.net.SocketException if this bind cannot set a mark (unsupported platform, or the OS refused:
     *                                   {@code SO_MARK} needs {@code CAP_NET_ADMIN}); 0 always succeeds
     */
    void setFwmark(int mark) throws IOException;

    /** The firewall mark last set successfully (0 = none). */
    int fwmark();

    /** Whether {@link #setFwmark} can work at all on this bind. */
    boolean supportsFwmark();

    /**
     * Sends this bind's datagrams through the interface with this index only, per family (Windows
     * {@code IP_UNICAST_IF}/{@code IPV6_UNICAST_IF}), so a full tunnel's own datagrams cannot loop into it; 0 leaves
     * that family as it is.
     *
     * @throws java.net.SocketException where the bind or the OS cannot pin (the default)
     */
    default void bindToInterface(int ipv4IfIndex, int ipv6IfIndex) throws IOException {
        throw new java.net.SocketException("pinning to an interface is not supported by " + getClass().getSimpleName());
    }

    /** Counters since the bind was opened. */
    Stats stats();

    /** Closes the sockets and wakes blocked receivers. Idempotent; never throws. */
    @Override
    void close();

    /** True until {@link #close()}. */
    boolean isOpen();

    /**
     * Bind counters.
     *
     * @param received       datagrams delivered by {@link #receive}
     * @param sent           datagrams handed to the OS by {@link #send}
     * @param oversizeDrops  received datagrams dropped because they did not fit a slot
     * @param sendErrors     datagrams {@link #send} dropped because the OS refused them
     */
    record Stats(long received, long sent, long oversizeDrops, long sendErrors) {
    }

    /** Opens a bind on a port (0 = any free port); the engine calls it at start and on every listen-port change. */
    @FunctionalInterface
    interface Factory {
        /**
         * @throws java.net.BindException if the port is taken
         * @throws IOException            on any other failure
         */
        UdpBind open(int port) throws IOException;
    }
}
