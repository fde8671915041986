package io.wirefx.ipc;

import java.util.Objects;

/**
 * Counters of one peer.
 *
 * @param publicKey                Base64
 * @param rxBytes                  bytes received from the peer (transport payload, as wg reports)
 * @param txBytes                  bytes sent to the peer
 * @param lastHandshakeEpochMillis wall-clock time of the last completed handshake, 0 if none yet
 */
public record PeerStats(String publicKey, long rxBytes, long txBytes, long lastHandshakeEpochMillis) {
    public PeerStats {
        Objects.requireNonNull(publicKey, "publicKey");
    }
}
