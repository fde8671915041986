package io.wirefx.core.config;

import io.wirefx.core.net.IpLiterals;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * A peer endpoint: a host (IP literal or unresolved host name) and a UDP port 1–65535.
 *
 * <p>Text forms: {@code host:port}, {@code [IPv6]:port} (brackets around any host are accepted, as wg does); without
 * brackets the split is at the last ':', so {@code 2001:db8::1:51820} is host {@code 2001:db8::1}, port 51820.
 * IP literal hosts are kept in canonical form; host names are kept as written and never resolved here (resolution
 * belongs to the daemon). Ports must be numeric: wg's service names need a services lookup.
 */
public final class InetEndpoint {
    private final String host;
    private final InetAddress literal; // null for a host name
    private final int port;

    private InetEndpoint(String host, InetAddress literal, int port) {
        this.host = host;
        this.literal = literal;
        this.port = port;
    }

    /**
     * Parses {@code host:port} or {@code [host]:port}.
     *
     * @throws InvalidValueException with reason INVALID_ENDPOINT, INVALID_PORT or SERVICE_NAME_UNSUPPORTED
     */
    public static InetEndpoint parse(String text) {
        Objects.requireNonNull(text, "text");
        String hostText;
        String portText;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                throw invalid(text);
            }
            hostText = text.substring(1, close);
            portText = text.substring(close + 2);
        } else {
            int colon = text.lastIndexOf(':');
            if (colon < 0) {
                throw invalid(text);
            }
            hostText = text.substring(0, colon);
            portText = text.substring(colon + 1);
        }
        if (portText.isEmpty()) {
            throw invalid(text);
        }
        int port;
        try {
            port = Syntax.parsePort(portText, false);
        } catch (InvalidValueException e) {
            throw new InvalidValueException(e.reason(), text);
        }
        Optional<InetAddress> literal = IpLiterals.tryParse(hostText);
        if (literal.isPresent()) {
            return new InetEndpoint(IpLiterals.format(literal.get()), literal.get(), port);
        }
        if (!Syntax.isHostName(hostText)) {
            throw invalid(text);
        }
        return new InetEndpoint(hostText, null, port);
    }

    /**
     * An endpoint for a host name or IP literal text.
     *
     * @throws InvalidValueException with reason INVALID_ENDPOINT or INVALID_PORT
     */
    public static InetEndpoint of(String host, int port) {
        Objects.requireNonNull(host, "host");
        Syntax.checkPort(port, false);
        Optional<InetAddress> literal = IpLiterals.tryParse(host);
        if (literal.isPresent()) {
            return new InetEndpoint(IpLiterals.format(literal.get()), literal.get(), port);
        }
        if (!Syntax.isHostName(host)) {
            throw invalid(host);
        }
        return new InetEndpoint(host, null, port);
    }

    /** An endpoint for an address (scoped IPv6 addresses are rejected with INVALID_ADDRESS). */
    public static InetEndpoint of(InetAddress address, int port) {
        Syntax.checkPort(port, false);
        InetAddress normalized = Syntax.normalizeAddress(address);
        return new InetEndpoint(IpLiterals.format(normalized), normalized, port);
    }

    private static InvalidValueException invalid(String text) {
        return new InvalidValueException(BadConfigException.Reason.INVALID_ENDPOINT, text);
    }

    /** The host: canonical IP literal text (no brackets) or the host name as written. */
    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** The address when the host is an IP literal; empty for a host name, which the caller must resolve. */
    public Optional<InetAddress> literalAddress() {
        return Optional.ofNullable(literal);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InetEndpoint other && port == other.port && host.equals(other.host);
    }

    @Override
    public int hashCode() {
        return 31 * host.hashCode() + port;
    }

    /** {@code host:port}, with brackets around an IPv6 literal. */
    @Override
    public String toString() {
        return (literal instanceof Inet6Address ? "[" + host + "]" : host) + ":" + port;
    }
}
