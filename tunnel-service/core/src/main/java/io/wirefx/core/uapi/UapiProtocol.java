package io.wirefx.core.uapi;

import io.wirefx.core.crypto.Key;
import io.wirefx.core.net.IpLiterals;
import io.wirefx.core.net.IpPrefix;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.OptionalInt;

/** Text forms of the UAPI protocol: the {@code get} reply, {@code errno} replies and numeric endpoints. */
public final class UapiProtocol {
    /** Longest line accepted, without its {@code \n}. Real lines are under 100 characters. */
    public static final int MAX_LINE_LENGTH = 4096;

    private static final String ZERO_KEY_HEX = "0".repeat(2 * Key.LENGTH);

    private UapiProtocol() {}

    /**
     * The full reply to {@code get=1}, in wireguard-go's order, ending with {@code errno=0} and a blank line. Device
     * keys appear only if set: {@code private_key}, {@code listen_port} (non-zero), {@code fwmark} (non-zero). Each
     * peer: {@code public_key}, {@code preshared_key} (zeros if none), {@code protocol_version=1}, {@code endpoint} (if
     * known), {@code last_handshake_time_sec}, {@code last_handshake_time_nsec}, {@code tx_bytes}, {@code rx_bytes},
     * {@code persistent_keepalive_interval}, then one {@code allowed_ip} per prefix.
     */
    public static String formatGetReply(DeviceState state) {
        StringBuilder sb = new StringBuilder(256 + 512 * state.peers().size());
        state.privateKey().filter(k -> !k.isZero()).ifPresent(k -> line(sb, "private_key", k.toHex()));
        if (state.listenPort() != 0) {
            line(sb, "listen_port", Integer.toString(state.listenPort()));
        }
        if (state.fwmark() != 0) {
            line(sb, "fwmark", Integer.toUnsignedString(state.fwmark()));
        }
        for (PeerState peer : state.peers()) {
            line(sb, "public_key", peer.publicKey().toHex());
            line(sb, "preshared_key", peer.presharedKey().map(Key::toHex).orElse(ZERO_KEY_HEX));
            line(sb, "protocol_version", "1");
            peer.endpoint().map(UapiText::formatEndpoint).ifPresent(e -> line(sb, "endpoint", e));
            line(sb, "last_handshake_time_sec", Long.toString(peer.lastHandshakeEpochSec()));
            line(sb, "last_handshake_time_nsec", Integer.toString(peer.lastHandshakeNanos()));
            line(sb, "tx_bytes", Long.toUnsignedString(peer.txBytes()));
            line(sb, "rx_bytes", Long.toUnsignedString(peer.rxBytes()));
            line(sb, "persistent_keepalive_interval", Integer.toString(peer.persistentKeepaliveInterval()));
            for (IpPrefix ip : peer.allowedIps()) {
                line(sb, "allowed_ip", ip.toString());
            }
        }
        return sb.append(errnoReply(0)).toString();
    }

    /** {@code errno=N\n\n}: the end of every reply. */
    public static String errnoReply(int errno) {
        return "errno=" + errno + "\n\n";
    }

    /**
     * Parses a UAPI endpoint, {@code a.b.c.d:port} or {@code [v6]:port}, by the rules of Go's
     * {@code netip.ParseAddrPort}; never resolves a host name. A zone must be numeric here ({@code [fe80::1%3]:51820}).
     */
    public static Optional<InetSocketAddress> parseEndpoint(String text) {
        return Optional.ofNullable(UapiText.parseEndpoint(text, zone -> OptionalInt.empty()));
    }

    /** {@code 192.0.2.1:51820}, {@code [2001:db8::1]:51820}; empty for an unresolved address. */
    public static Optional<String> formatEndpoint(InetSocketAddress endpoint) {
        return Optional.ofNullable(UapiText.formatEndpoint(endpoint));
    }

    /** Dotted IPv4, or RFC 5952 IPv6 ({@code ::ffff:a.b.c.d} for IPv4-mapped) as Go prints it. */
    public static String formatAddress(InetAddress address) {
        return IpLiterals.format(address);
    }

    private static void line(StringBuilder sb, String key, String value) {
        sb.append(key).append('=').append(value).append('\n');
    }
}
