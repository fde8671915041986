package io.wirefx.core.device;

import java.util.List;

/** What the caller must do after {@code encapsulate}, {@code decapsulate} or {@code tick}. */
public sealed interface TunnelResult {

    /** Send these datagrams (in order). */
    record Send(List<Datagram> datagrams) implements TunnelResult {
        public Send {
            datagrams = List.copyOf(datagrams);
        }
    }

    /**
     * Write {@code packet[offset, offset+length)} to the TUN device; it came from {@code peer}. {@code alsoSend}
     * holds datagrams that became sendable at the same time (staged packets after a key confirmation).
     */
    record Deliver(byte[] packet, int offset, int length, Peer peer, List<Datagram> alsoSend) implements TunnelResult {
        public Deliver {
            alsoSend = List.copyOf(alsoSend);
        }
    }

    /** The packet was dropped (and counted). */
    record Drop(DropReason reason) implements TunnelResult {
    }

    /** Consumed with nothing to do: a keepalive, a cookie reply, a packet staged while waiting for a handshake. */
    record Done(List<Datagram> alsoSend) implements TunnelResult {
        public static final Done NOTHING = new Done(List.of());

        public Done {
            alsoSend = List.copyOf(alsoSend);
        }
    }

    static TunnelResult sendOrDone(List<Datagram> datagrams) {
        return datagrams.isEmpty() ? Done.NOTHING : new Send(datagrams);
    }
}
