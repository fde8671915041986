package io.wirefx.core.config;

import io.wirefx.core.crypto.Key;
import io.wirefx.core.net.IpPrefix;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A {@code [Peer]} section. Immutable; build it with {@link #builder()}. {@link #toString()} never shows the
 * preshared key. Key instances are shared, not copied.
 */
public final class PeerConfig {
    private final Key publicKey;
    private final Optional<Key> presharedKey;
    private final List<IpPrefix> allowedIps;
    private final Optional<InetEndpoint> endpoint;
    private final OptionalInt persistentKeepalive;

    private PeerConfig(Builder b) {
        publicKey = b.publicKey;
        presharedKey = b.presharedKey;
        allowedIps = List.copyOf(b.allowedIps);
        endpoint = b.endpoint;
        persistentKeepalive = b.persistentKeepalive;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.publicKey = publicKey;
        b.presharedKey = presharedKey;
        b.allowedIps.addAll(allowedIps);
        b.endpoint = endpoint;
        b.persistentKeepalive = persistentKeepalive;
        return b;
    }

    public Key publicKey() {
        return publicKey;
    }

    /** The preshared key; never the all-zero key (which means "none"). */
    public Optional<Key> presharedKey() {
        return presharedKey;
    }

    /** Allowed IPs in file order, host bits as written. */
    public List<IpPrefix> allowedIps() {
        return allowedIps;
    }

    public Optional<InetEndpoint> endpoint() {
        return endpoint;
    }

    /** Keepalive interval in seconds, 1..65535; empty means off. */
    public OptionalInt persistentKeepalive() {
        return persistentKeepalive;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeerConfig other
                && publicKey.equals(other.publicKey)
                && presharedKey.equals(other.presharedKey)
                && allowedIps.equals(other.allowedIps)
                && endpoint.equals(other.endpoint)
                && persistentKeepalive.equals(other.persistentKeepalive);
    }

    @Override
    public int hashCode() {
        // The preshared key is left out: it is secret, and equal objects still hash equally.
        return Objects.hash(publicKey, allowedIps, endpoint, persistentKeepalive);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Peer{publicKey=").append(publicKey.toBase64());
        if (presharedKey.isPresent()) {
            sb.append(", presharedKey=(set)");
        }
        sb.append(", allowedIps=").append(allowedIps);
        endpoint.ifPresent(e -> sb.append(", endpoint=").append(e));
        persistentKeepalive.ifPresent(k -> sb.append(", persistentKeepalive=").append(k));
        return sb.append('}').toString();
    }

    /** Builder for {@link PeerConfig}; setters validate at once and throw {@link InvalidValueException}. */
    public static final class Builder {
        private Key publicKey;
        private Optional<Key> presharedKey = Optional.empty();
        private final List<IpPrefix> allowedIps = new ArrayList<>();
        private Optional<InetEndpoint> endpoint = Optional.empty();
        private OptionalInt persistentKeepalive = OptionalInt.empty();

        private Builder() {
        }

        public Builder publicKey(Key key) {
            publicKey = Objects.requireNonNull(key, "key");
            return this;
        }

        /** The all-zero key means "no preshared key" (as in wg) and clears it. */
        public Builder presharedKey(Key key) {
            Objects.requireNonNull(key, "key");
            presharedKey = key.isZero() ? Optional.empty() : Optional.of(key);
            return this;
        }

        public Builder presharedKey(Optional<Key> key) {
            return key.isPresent() ? presharedKey(key.get()) : clearPresharedKey();
        }

        public Builder clearPresharedKey() {
            presharedKey = Optional.empty();
            return this;
        }

        public Builder addAllowedIp(IpPrefix network) {
            allowedIps.add(Objects.requireNonNull(network, "network"));
            return this;
        }

        /** Replaces the allowed IPs. */
        public Builder allowedIps(Collection<IpPrefix> list) {
            List<IpPrefix> copy = List.copyOf(list);
            allowedIps.clear();
            allowedIps.addAll(copy);
            return this;
        }

        public Builder endpoint(InetEndpoint value) {
            endpoint = Optional.of(value);
            return this;
        }

        public Builder endpoint(Optional<InetEndpoint> value) {
            endpoint = Objects.requireNonNull(value, "value");
            return this;
        }

        /** Seconds 0..65535; 0 means off and clears it. */
        public Builder persistentKeepalive(int seconds) {
            if (seconds < 0 || seconds > 65535) {
                throw new InvalidValueException(BadConfigException.Reason.NUMBER_OUT_OF_RANGE,
                        Integer.toString(seconds));
            }
            persistentKeepalive = seconds == 0 ? OptionalInt.empty() : OptionalInt.of(seconds);
            return this;
        }

        public Builder persistentKeepalive(OptionalInt seconds) {
            return persistentKeepalive(seconds.orElse(0));
        }

        /** @throws InvalidValueException MISSING_PUBLIC_KEY */
        public PeerConfig build() {
            if (publicKey == null) {
                throw new InvalidValueException(BadConfigException.Reason.MISSING_PUBLIC_KEY, null);
            }
            return new PeerConfig(this);
        }
    }
}
