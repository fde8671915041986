package io.wirefx.core.config;

import io.wirefx.core.crypto.Key;
import io.wirefx.core.net.IpLiterals;
import io.wirefx.core.net.IpPrefix;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A wg-quick configuration file: one {@link Interface} and its {@link PeerConfig}s, in file order.
 *
 * <p>{@link #parse(String)} accepts what wg-quick and wg(8) accept, with these differences: hostnames and ports are
 * never resolved (ports and endpoint ports must be numeric), a key given twice in a section, a second
 * {@code [Interface]} and two peers with the same public key are errors, {@code +}/{@code -} AllowedIPs entries
 * and IPv6 zone ids are rejected, and an empty {@code MTU}/{@code Table} is an error rather than "default". As in wg,
 * the values of the keys wg handles (PrivateKey, ListenPort, FwMark, PublicKey, PresharedKey, AllowedIPs, Endpoint,
 * PersistentKeepalive) have all their whitespace removed. Every error is a {@link BadConfigException} naming the line,
 * section, key and reason.
 *
 * <p>{@code parse(c.toWgQuickString()).equals(c)} holds for every config. Text is canonical: comments, key case and
 * spacing are not preserved.
 */
public final class Config {
    /** Largest accepted input, in characters (in bytes for {@link #parse(Path)}). */
    public static final int MAX_TEXT_LENGTH = 1 << 20;

    private static final Pattern INTERFACE_NAME = Pattern.compile("[a-zA-Z0-9_=+.-]{1,15}");

    private final Interface iface;
    private final List<PeerConfig> peers;

    private Config(Interface iface, List<PeerConfig> peers) {
        this.iface = iface;
        this.peers = peers;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().iface(iface).peers(peers);
    }

    /** The {@code [Interface]} section. */
    public Interface iface() {
        return iface;
    }

    /** The peers in file order. */
    public List<PeerConfig> peers() {
        return peers;
    }

    /** Parses wg-quick text (a leading BOM, CRLF and lone CR line ends are fine). */
    public static Config parse(String text) throws BadConfigException {
        return ConfigParser.parse(text);
    }

    /** Reads everything from {@code reader} (not closed) and parses it. */
    public static Config parse(Reader reader) throws IOException, BadConfigException {
        StringBuilder sb = new StringBuilder();
        char[] buf = new char[8192];
        int n;
        while ((n = reader.read(buf)) >= 0) {
            sb.append(buf, 0, n);
            if (sb.length() > MAX_TEXT_LENGTH) {
                throw new BadConfigException(BadConfigException.Section.TOP_LEVEL, 0, null,
                        BadConfigException.Reason.TOO_LARGE, null);
            }
        }
        return parse(sb.toString());
    }

    /**
     * Reads a UTF-8 file and parses it. Bytes that are not UTF-8 give INVALID_ENCODING at their line.
     *
     * @throws IOException if the file cannot be read
     */
    public static Config parse(Path path) throws IOException, BadConfigException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(path)) {
            bytes = in.readNBytes(MAX_TEXT_LENGTH + 1);
        }
        if (bytes.length > MAX_TEXT_LENGTH) {
            throw new BadConfigException(BadConfigException.Section.TOP_LEVEL, 0, null,
                    BadConfigException.Reason.TOO_LARGE, null);
        }
        return parse(decodeUtf8(bytes));
    }

    /** Strict UTF-8 decoding that reports the line of the first malformed byte. */
    static String decodeUtf8(byte[] bytes) throws BadConfigException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int line = 1;
            for (int i = 0; i < in.position(); i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new BadConfigException(BadConfigException.Section.TOP_LEVEL, line, null,
                    BadConfigException.Reason.INVALID_ENCODING, null);
        }
        return out.flip().toString();
    }

    /** The file in wg-quick format, canonical spacing, private and preshared keys included. */
    public String toWgQuickString() {
        StringBuilder sb = new StringBuilder("[Interface]\n");
        line(sb, "PrivateKey", iface.privateKey().toBase64());
        iface.listenPort().ifPresent(p -> line(sb, "ListenPort", Integer.toString(p)));
        iface.fwMark().ifPresent(m -> line(sb, "FwMark", "0x" + Long.toHexString(m)));
        listLine(sb, "Address", iface.addresses().stream().map(IpPrefix::toString).toList());
        List<String> dns = new ArrayList<>();
        for (InetAddress server : iface.dnsServers()) {
            dns.add(IpLiterals.format(server));
        }
        dns.addAll(iface.dnsSearchDomains());
        listLine(sb, "DNS", dns);
        iface.mtu().ifPresent(m -> line(sb, "MTU", Integer.toString(m)));
        if (iface.table() != Table.AUTO) {
            line(sb, "Table", iface.table().text());
        }
        iface.preUp().forEach(h -> line(sb, "PreUp", h));
        iface.postUp().forEach(h -> line(sb, "PostUp", h));
        iface.preDown().forEach(h -> line(sb, "PreDown", h));
        iface.postDown().forEach(h -> line(sb, "PostDown", h));
        if (iface.saveConfig()) {
            line(sb, "SaveConfig", "true");
        }
        appendPeers(sb);
        return sb.toString();
    }

    /**
     * Only what {@code wg setconf}/{@code wg addconf} accept (what {@code wg-quick strip} prints): PrivateKey,
     * ListenPort, FwMark and the peers. Endpoint host names are kept; wg resolves them itself.
     */
    public String toWgString() {
        StringBuilder sb = new StringBuilder("[Interface]\n");
        line(sb, "PrivateKey", iface.privateKey().toBase64());
        iface.listenPort().ifPresent(p -> line(sb, "ListenPort", Integer.toString(p)));
        iface.fwMark().ifPresent(m -> line(sb, "FwMark", "0x" + Long.toHexString(m)));
        appendPeers(sb);
        return sb.toString();
    }

    private void appendPeers(StringBuilder sb) {
        for (PeerConfig peer : peers) {
            sb.append("\n[Peer]\n");
            line(sb, "PublicKey", peer.publicKey().toBase64());
            peer.presharedKey().ifPresent(k -> line(sb, "PresharedKey", k.toBase64()));
            listLine(sb, "AllowedIPs", peer.allowedIps().stream().map(IpPrefix::toString).toList());
            peer.endpoint().ifPresent(e -> line(sb, "Endpoint", e.toString()));
            peer.persistentKeepalive().ifPresent(k -> line(sb, "PersistentKeepalive", Integer.toString(k)));
        }
    }

    private static void line(StringBuilder sb, String key, String value) {
        sb.append(key).append(" = ").append(value).append('\n');
    }

    private static void listLine(StringBuilder sb, String key, List<String> values) {
        if (!values.isEmpty()) {
            line(sb, key, String.join(", ", values));
        }
    }

    /** True if {@code name} is a valid wg-quick interface name, {@code [a-zA-Z0-9_=+.-]{1,15}}. */
    public static boolean isValidInterfaceName(String name) {
        return name != null && INTERFACE_NAME.matcher(name).matches();
    }

    /**
     * Checks an interface name (wg-quick derives it from the file name {@code NAME.conf}).
     *
     * @throws InvalidValueException with reason INVALID_INTERFACE_NAME
     */
    public static String validateInterfaceName(String name) {
        if (!isValidInterfaceName(name)) {
            throw new InvalidValueException(BadConfigException.Reason.INVALID_INTERFACE_NAME, name);
        }
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Config other && iface.equals(other.iface) && peers.equals(other.peers);
    }

    @Override
    public int hashCode() {
        return 31 * iface.hashCode() + peers.hashCode();
    }

    /** A summary without secrets. */
    @Override
    public String toString() {
        return "Config{" + iface + ", peers=" + peers + '}';
    }

    /** Builder for {@link Config}. */
    public static final class Builder {
        private Interface iface;
        private final List<PeerConfig> peers = new ArrayList<>();

        private Builder() {
        }

        public Builder iface(Interface value) {
            iface = Objects.requireNonNull(value, "iface");
            return this;
        }

        public Builder addPeer(PeerConfig peer) {
            peers.add(Objects.requireNonNull(peer, "peer"));
            return this;
        }

        /** Replaces the peers. */
        public Builder peers(Collection<PeerConfig> list) {
            List<PeerConfig> copy = List.copyOf(list);
            peers.clear();
            peers.addAll(copy);
            return this;
        }

        /**
         * @throws InvalidValueException MISSING_SECTION without an interface; DUPLICATE_PEER (value: the public key
         *                               in Base64) if two peers share a public key
         */
        public Config build() {
            if (iface == null) {
                throw new InvalidValueException(BadConfigException.Reason.MISSING_SECTION, null);
            }
            Set<Key> seen = new HashSet<>();
            for (PeerConfig p : peers) {
                if (!seen.add(p.publicKey())) {
                    throw new InvalidValueException(BadConfigException.Reason.DUPLICATE_PEER,
                            p.publicKey().toBase64());
                }
            }
            return new Config(iface, List.copyOf(peers));
        }
    }
}
