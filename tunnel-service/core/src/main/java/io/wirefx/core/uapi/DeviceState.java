package io.wirefx.core.uapi;

import io.wirefx.core.crypto.Key;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a UAPI {@code get} reports about a device. Peers are reported in list order.
 *
 * @param privateKey the device's private key; empty (or the zero key) when none is set
 * @param listenPort the UDP port actually bound, 0..65535 (0 = none / not reported)
 * @param fwmark the firewall mark as an unsigned 32-bit value held in an {@code int} (0 = off)
 * @param peers the peers, in the order to report them
 */
public record DeviceState(Optional<Key> privateKey, int listenPort, int fwmark, List<PeerState> peers) {

    public DeviceState {
        Objects.requireNonNull(privateKey, "privateKey");
        if (listenPort < 0 || listenPort > 0xffff) {
            throw new IllegalArgumentException("listenPort must be 0..65535");
        }
        peers = List.copyOf(peers);
    }
}
