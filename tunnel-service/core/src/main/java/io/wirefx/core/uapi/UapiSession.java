package io.wirefx.core.uapi;

import io.wirefx.core.crypto.Key;
import io.wirefx.core.net.IpPrefix;
import io.wirefx.core.crypto.KeyFormatException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One UAPI connection, sans-I/O: feed it what the client sent ({@link #feed(String)} per line or
 * {@link #feedBytes} for raw bytes), write back every string it returns, and close the connection once
 * {@link #isClosed()} is true. Several operations may follow one another on one connection.
 *
 * <ul>
 *   <li>{@code get=1} + blank line: the device state, then {@code errno=0} and a blank line.</li>
 *   <li>{@code set=1} + lines + blank line: each line is applied in order, as wireguard-go does (no transaction:
 *       lines before an error stay applied), then {@code errno=0} and a blank line. On the first error the reply
 *       {@code errno=N} (negative) is returned at once and the rest of that operation, up to its blank line, is
 *       skipped.</li>
 *   <li>Any other first line, or a line longer than the limit, closes the session.</li>
 * </ul>
 *
 * Never throws on any input. Not thread-safe: one session per connection, fed from one thread at a time.
 */
public final class UapiSession {
    private enum State { AWAIT_OPERATION, GET_AWAIT_BLANK, SET_BODY, SET_SKIP, CLOSED }

    private final UapiDevice device;
    private final int maxLineLength;
    private final StringBuilder partial = new StringBuilder();
    private State state = State.AWAIT_OPERATION;
    private String lastError;

    // State of the current set operation.
    private int setLineNumber;
    private boolean inPeerBlocks;
    /** The peer being configured; null before the first public_key and for an ignored or removed peer. */
    private Key peer;
    private boolean peerCreated;

    public UapiSession(UapiDevice device) {
        this(device, UapiProtocol.MAX_LINE_LENGTH);
    }

    public UapiSession(UapiDevice device, int maxLineLength) {
        this.device = Objects.requireNonNull(device, "device");
        if (maxLineLength < 16) {
            throw new IllegalArgumentException("maxLineLength must be at least 16");
        }
        this.maxLineLength = maxLineLength;
    }

    /**
     * Feeds one line, without its {@code \n}. Returns the replies it completes (usually none or one), each a full
     * reply ending in a blank line. Ignored once closed.
     */
    public List<String> feed(String line) {
        Objects.requireNonNull(line, "line");
        List<String> out = new ArrayList<>(1);
        if (!partial.isEmpty()) {
            // Mixing feedBytes and feed: the pending bytes start this line.
            line = partial + line;
            partial.setLength(0);
        }
        onLine(line, out);
        return out;
    }

    /**
     * Feeds raw bytes as read from the socket, in chunks of any size; lines end at {@code \n}. Returns the replies
     * completed by these bytes. Bytes are taken as ISO-8859-1, so any byte sequence is accepted.
     */
    public List<String> feedBytes(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        List<String> out = new ArrayList<>(1);
        for (int i = offset; i < offset + length && state != State.CLOSED; i++) {
            char c = (char) (data[i] & 0xff);
            if (c == '\n') {
                String line = partial.toString();
                partial.setLength(0);
                onLine(line, out);
            } else if (partial.length() >= maxLineLength) {
                partial.setLength(0);
                lineTooLong(out);
            } else {
                partial.append(c);
            }
        }
        return out;
    }

    /**
     * The client closed its sending side. As in wireguard-go, a {@code set} in progress ends as if by a blank line (a
     * last line without {@code \n} still counts) and gets its reply; the session is closed afterwards.
     */
    public List<String> endOfInput() {
        List<String> out = new ArrayList<>(1);
        String rest = partial.toString();
        partial.setLength(0);
        switch (state) {
            case SET_BODY -> {
                if (!rest.isEmpty()) {
                    onLine(rest, out);
                }
                if (state == State.SET_BODY) {
                    onLine("", out);
                }
            }
            // wireguard-go reads one byte after "get=1\n"; anything but '\n' is EINVAL.
            case GET_AWAIT_BLANK -> {
                if (!rest.isEmpty()) {
                    out.add(UapiProtocol.errnoReply(UapiException.EINVAL));
                }
            }
            default -> { }
        }
        close();
        return out;
    }

    /** True once the connection must be closed; later input is ignored. */
    public boolean isClosed() {
        return state == State.CLOSED;
    }

    /** True between operations, when closing the connection loses nothing. */
    public boolean isIdle() {
        return state == State.AWAIT_OPERATION && partial.isEmpty();
    }

    /** Why the last operation failed or the session closed, for logs; holds no key material or client text. */
    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    private void onLine(String line, List<String> out) {
        if (line.length() > maxLineLength) {
            lineTooLong(out);
            return;
        }
        switch (state) {
            case AWAIT_OPERATION -> {
                switch (line) {
                    case "get=1" -> {
                        lastError = null;
                        state = State.GET_AWAIT_BLANK;
                    }
                    case "set=1" -> {
                        lastError = null;
                        beginSet();
                    }
                    default -> {
                        lastError = "unknown operation";
                        close();
                    }
                }
            }
            case GET_AWAIT_BLANK -> {
                state = State.AWAIT_OPERATION;
                if (line.isEmpty()) {
                    out.add(getReply());
                } else {
                    // wireguard-go consumes only one byte here; the rest of the line is read as the next operation.
                    lastError = "trailing characters after get=1";
                    out.add(UapiProtocol.errnoReply(UapiException.EINVAL));
                    onLine(line.substring(1), out);
                }
            }
            case SET_BODY -> onSetLine(stripCarriageReturn(line), out);
            case SET_SKIP -> {
                if (stripCarriageReturn(line).isEmpty()) {
                    state = State.AWAIT_OPERATION;
                }
            }
            case CLOSED -> { }
        }
    }

    private void lineTooLong(List<String> out) {
        if (state == State.SET_BODY) {
            out.add(UapiProtocol.errnoReply(UapiException.EIO));
        }
        lastError = "line longer than " + maxLineLength + " characters";
        close();
    }

    private void close() {
        state = State.CLOSED;
        partial.setLength(0);
        endSet();
    }

    private String getReply() {
        try {
            return UapiProtocol.formatGetReply(device.snapshot());
        } catch (RuntimeException e) {
            lastError = "device failed to report its state: " + e.getClass().getSimpleName();
            return UapiProtocol.errnoReply(UapiException.UNKNOWN);
        }
    }

    private void beginSet() {
        state = State.SET_BODY;
        setLineNumber = 0;
        inPeerBlocks = false;
        peer = null;
        peerCreated = false;
    }

    private void endSet() {
        peer = null;
        peerCreated = false;
        inPeerBlocks = false;
    }

    private void onSetLine(String line, List<String> out) {
        setLineNumber++;
        int errno;
        try {
            if (line.isEmpty()) {
                finishPeerBlock();
                endSet();
                state = State.AWAIT_OPERATION;
                out.add(UapiProtocol.errnoReply(0));
                return;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new UapiException(UapiException.EPROTO, "line without '='");
            }
            applySetLine(line.substring(0, eq), line.substring(eq + 1));
            return;
        } catch (UapiException e) {
            errno = e.errno();
            lastError = "set line " + setLineNumber + ": " + e.getMessage();
        } catch (RuntimeException e) {
            // A device bug, not the client's: wireguard-go reports such errors as -55.
            errno = UapiException.UNKNOWN;
            lastError = "set line " + setLineNumber + ": device failed: " + e.getClass().getSimpleName();
        }
        endSet();
        state = State.SET_SKIP;
        out.add(UapiProtocol.errnoReply(errno));
    }

    private void applySetLine(String key, String value) throws UapiException {
        if (key.equals("public_key")) {
            finishPeerBlock();
            inPeerBlocks = true;
            peer = null;
            peerCreated = false;
            Key publicKey = parseKey(key, value);
            if (device.ownPublicKey().filter(publicKey::equals).isPresent()) {
                return; // our own key: the block is parsed but ignored
            }
            if (!device.hasPeer(publicKey)) {
                device.createPeer(publicKey);
                peerCreated = true;
            }
            peer = publicKey;
        } else if (!inPeerBlocks) {
            applyDeviceLine(key, value);
        } else {
            applyPeerLine(key, value);
        }
    }

    private void applyDeviceLine(String key, String value) throws UapiException {
        switch (key) {
            case "private_key" -> {
                Key parsed = parseKey(key, value);
                if (parsed.isZero()) {
                    device.setPrivateKey(Optional.empty());
                } else {
                    device.setPrivateKey(Optional.of(clamp(parsed)));
                }
            }
            case "listen_port" -> device.setListenPort((int) parseNumber(key, value, 0xffff));
            case "fwmark" -> device.setFwmark((int) parseNumber(key, value, 0xffff_ffffL));
            case "replace_peers" -> {
                requireTrue(key, value);
                device.removeAllPeers();
            }
            default -> throw new UapiException(UapiException.EINVAL, "unknown device key");
        }
    }

    // Every value is checked even when the block is ignored (peer == null), as wireguard-go does.
    private void applyPeerLine(String key, String value) throws UapiException {
        switch (key) {
            case "update_only" -> {
                requireTrue(key, value);
                if (peer != null && peerCreated) {
                    Key undo = peer;
                    peer = null;
                    peerCreated = false;
                    device.removePeer(undo);
                }
            }
            case "remove" -> {
                requireTrue(key, value);
                if (peer != null) {
                    Key removed = peer;
                    peer = null;
                    peerCreated = false;
                    device.removePeer(removed);
                }
            }
            case "preshared_key" -> {
                Key psk = parseKey(key, value);
                if (peer != null) {
                    device.setPresharedKey(peer, psk.isZero() ? Optional.empty() : Optional.of(psk));
                }
            }
            case "endpoint" -> {
                InetSocketAddress endpoint = UapiText.parseEndpoint(value, device::zoneIndex);
                if (endpoint == null) {
                    throw invalid(key);
                }
                if (peer != null) {
                    device.setEndpoint(peer, endpoint);
                }
            }
            case "persistent_keepalive_interval" -> {
                int seconds = (int) parseNumber(key, value, 0xffff);
                if (peer != null) {
                    device.setPersistentKeepalive(peer, seconds);
                }
            }
            case "replace_allowed_ips" -> {
                requireTrue(key, value);
                if (peer != null) {
                    device.clearAllowedIps(peer);
                }
            }
            case "allowed_ip" -> {
                boolean remove = value.startsWith("-");
                IpPrefix prefix = UapiText.parsePrefix(remove ? value.substring(1) : value);
                if (prefix == null) {
                    throw invalid(key);
                }
                if (peer != null) {
                    if (remove) {
                        device.removeAllowedIp(peer, prefix.masked());
                    } else {
                        device.addAllowedIp(peer, prefix.masked());
                    }
                }
            }
            case "protocol_version" -> {
                if (!value.equals("1")) {
                    throw invalid(key);
                }
            }
            default -> throw new UapiException(UapiException.EINVAL, "unknown peer key (or device key after public_key)");
        }
    }

    private void finishPeerBlock() {
        if (peer != null) {
            device.peerConfigured(peer);
        }
    }

    private static Key parseKey(String key, String hex) throws UapiException {
        try {
            return Key.fromHex(hex);
        } catch (KeyFormatException e) {
            throw invalid(key);
        }
    }

    /** RFC 7748 clamping, as wireguard-go applies it to a private key on set. */
    private static Key clamp(Key key) {
        byte[] b = key.bytes();
        try {
            b[0] &= (byte) 0xf8;
            b[31] = (byte) ((b[31] & 0x7f) | 0x40);
            return Key.fromBytes(b);
        } finally {
            Arrays.fill(b, (byte) 0);
            key.close();
        }
    }

    private static long parseNumber(String key, String value, long max) throws UapiException {
        long n = UapiText.parseUnsigned(value, max);
        if (n < 0) {
            throw invalid(key);
        }
        return n;
    }

    private static void requireTrue(String key, String value) throws UapiException {
        if (!value.equals("true")) {
            throw invalid(key);
        }
    }

    /** Names only a known key, never the value: values may be secrets. */
    private static UapiException invalid(String key) {
        return new UapiException(UapiException.EINVAL, "invalid value for " + key);
    }

    /** Go's line scanner drops one trailing '\r' from each line of a set operation. */
    private static String stripCarriageReturn(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }
}
