package io.wirefx.core.uapi;

import io.wirefx.core.crypto.Key;
import io.wirefx.core.net.IpPrefix;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a UAPI {@code get} reports about one peer.
 *
 * @param publicKey the peer's public key
 * @param presharedKey the preshared key; empty (or the zero key) when none
 * @param endpoint the current endpoint, with a numeric address; empty when unknown
 * @param persistentKeepaliveInterval seconds, 0..65535 (0 = off)
 * @param lastHandshakeEpochSec Unix time (seconds) of the last completed handshake; 0 with 0 nanos = never
 * @param lastHandshakeNanos the nanoseconds part, 0..999 999 999
 * @param rxBytes bytes received (an unsigned 64-bit count)
 * @param txBytes bytes sent (an unsigned 64-bit count)
 * @param allowedIps the peer's allowed-IPs prefixes, in the order to report them
 */
public record PeerState(
        Key publicKey,
        Optional<Key> presharedKey,
        Optional<InetSocketAddress> endpoint,
        int persistentKeepaliveInterval,
        long lastHandshakeEpochSec,
        int lastHandshakeNanos,
        long rxBytes,
        long txBytes,
        List<IpPrefix> allowedIps) {

    public PeerState {
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(presharedKey, "presharedKey");
        Objects.requireNonNull(endpoint, "endpoint");
        if (persistentKeepaliveInterval < 0 || persistentKeepaliveInterval > 0xffff) {
            throw new IllegalArgumentException("persistentKeepaliveInterval must be 0..65535");
        }
        if (lastHandshakeNanos < 0 || lastHandshakeNanos > 999_999_999) {
            throw new IllegalArgumentException("lastHandshakeNanos must be 0..999999999");
        }
        allowedIps = List.copyOf(allowedIps);
    }
}
