package io.wirefx.daemon.run;

import io.wirefx.core.crypto.Key;

import java.util.Objects;

/**
 * Counters of one peer of a running tunnel.
 *
 * @param lastHandshakeEpochNanos wall-clock time of the last completed handshake (ns since the epoch), 0 if none
 */
public record PeerCounters(Key publicKey, long rxBytes, long txBytes, long lastHandshakeEpochNanos) {
    public PeerCounters {
        Objects.requireNonNull(publicKey, "publicKey");
    }
}
