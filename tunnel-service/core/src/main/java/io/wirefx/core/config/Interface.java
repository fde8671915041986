package io.wirefx.core.config;

import io.wirefx.core.crypto.Key;
import io.wirefx.core.net.IpLiterals;
import io.wirefx.core.net.IpPrefix;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The {@code [Interface]} section of a wg-quick configuration. Immutable; build it with {@link #builder()}.
 *
 * <p>{@link #toString()} never shows the private key. The {@link Key} instance is shared, not copied: do not
 * {@link Key#close() close} it while this object is in use.
 */
public final class Interface {
    public static final int MIN_MTU = 68;
    public static final int MAX_MTU = 65535;
    public static final long MAX_FWMARK = 0xFFFF_FFFFL;

    private final Key privateKey;
    private final OptionalInt listenPort;
    private final OptionalLong fwMark;
    private final List<IpPrefix> addresses;
    private final List<InetAddress> dnsServers;
    private final List<String> dnsSearchDomains;
    private final OptionalInt mtu;
    private final Table table;
    private final List<String> preUp;
    private final List<String> postUp;
    private final List<String> preDown;
    private final List<String> postDown;
    private final boolean saveConfig;

    private Interface(Builder b) {
        privateKey = b.privateKey;
        listenPort = b.listenPort;
        fwMark = b.fwMark;
        addresses = List.copyOf(b.addresses);
        dnsServers = List.copyOf(b.dnsServers);
        dnsSearchDomains = List.copyOf(b.dnsSearchDomains);
        mtu = b.mtu;
        table = b.table;
        preUp = List.copyOf(b.preUp);
        postUp = List.copyOf(b.postUp);
        preDown = List.copyOf(b.preDown);
        postDown = List.copyOf(b.postDown);
        saveConfig = b.saveConfig;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this section's values, to derive a modified copy. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.privateKey = privateKey;
        b.listenPort = listenPort;
        b.fwMark = fwMark;
        b.addresses.addAll(addresses);
        b.dnsServers.addAll(dnsServers);
        b.dnsSearchDomains.addAll(dnsSearchDomains);
        b.mtu = mtu;
        b.table = table;
        b.preUp.addAll(preUp);
        b.postUp.addAll(postUp);
        b.preDown.addAll(preDown);
        b.postDown.addAll(postDown);
        b.saveConfig = saveConfig;
        return b;
    }

    /** The public key derived from {@link #privateKey()} (X25519). */
    public Key publicKey() {
        return io.wirefx.core.crypto.KeyPair.fromPrivate(privateKey).publicKey();
    }

    public Key privateKey() {
        return privateKey;
    }

    /** UDP listen port; 0 means "pick one"; empty means not configured (also random). */
    public OptionalInt listenPort() {
        return listenPort;
    }

    /** Firewall mark 1..2^32-1 for the UDP socket; empty means off. */
    public OptionalLong fwMark() {
        return fwMark;
    }

    /** Interface addresses, host bits kept ({@code 10.0.0.2/24}). */
    public List<IpPrefix> addresses() {
        return addresses;
    }

    /** DNS server addresses, in file order. */
    public List<InetAddress> dnsServers() {
        return dnsServers;
    }

    /** DNS search domains; a leading {@code ~} marks a routing-only domain for systemd-resolved. */
    public List<String> dnsSearchDomains() {
        return dnsSearchDomains;
    }

    /** MTU; empty means automatic. */
    public OptionalInt mtu() {
        return mtu;
    }

    /** Routing table; {@link Table#AUTO} when not configured. */
    public Table table() {
        return table;
    }

    /** Shell snippets, kept as written (comments included), {@code %i} not yet substituted. */
    public List<String> preUp() {
        return preUp;
    }

    public List<String> postUp() {
        return postUp;
    }

    public List<String> preDown() {
        return preDown;
    }

    public List<String> postDown() {
        return postDown;
    }

    public boolean saveConfig() {
        return saveConfig;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Interface other
                && privateKey.equals(other.privateKey)
                && listenPort.equals(other.listenPort)
                && fwMark.equals(other.fwMark)
                && addresses.equals(other.addresses)
                && dnsServers.equals(other.dnsServers)
                && dnsSearchDomains.equals(other.dnsSearchDomains)
                && mtu.equals(other.mtu)
                && table.equals(other.table)
                && preUp.equals(other.preUp)
                && postUp.equals(other.postUp)
                && preDown.equals(other.preDown)
                && postDown.equals(other.postDown)
                && saveConfig == other.saveConfig;
    }

    @Override
    public int hashCode() {
        // The private key is left out on purpose: equal objects still hash equally, and no key bits leak.
        return Objects.hash(listenPort, fwMark, addresses, dnsServers, dnsSearchDomains, mtu, table, preUp, postUp,
                preDown, postDown, saveConfig);
    }

    /** A summary without the private key or the hook texts. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Interface{");
        listenPort.ifPresent(p -> sb.append("listenPort=").append(p).append(", "));
        fwMark.ifPresent(m -> sb.append("fwMark=0x").append(Long.toHexString(m)).append(", "));
        sb.append("addresses=").append(addresses);
        if (!dnsServers.isEmpty()) {
            sb.append(", dnsServers=").append(dnsServers.stream().map(IpLiterals::format).toList());
        }
        if (!dnsSearchDomains.isEmpty()) {
            sb.append(", dnsSearchDomains=").append(dnsSearchDomains);
        }
        mtu.ifPresent(m -> sb.append(", mtu=").append(m));
        if (table != Table.AUTO) {
            sb.append(", table=").append(table.text());
        }
        int hooks = preUp.size() + postUp.size() + preDown.size() + postDown.size();
        if (hooks > 0) {
            sb.append(", hooks=").append(hooks);
        }
        if (saveConfig) {
            sb.append(", saveConfig=true");
        }
        return sb.append('}').toString();
    }

    /**
     * Builder for {@link Interface}. Every setter validates at once and throws {@link InvalidValueException} (with
     * the reason a parse of the same text would give), so a form can check field by field.
     */
    public static final class Builder {
        private Key privateKey;
        private OptionalInt listenPort = OptionalInt.empty();
        private OptionalLong fwMark = OptionalLong.empty();
        private final List<IpPrefix> addresses = new ArrayList<>();
        private final List<InetAddress> dnsServers = new ArrayList<>();
        private final List<String> dnsSearchDomains = new ArrayList<>();
        private OptionalInt mtu = OptionalInt.empty();
        private Table table = Table.AUTO;
        private final List<String> preUp = new ArrayList<>();
        private final List<String> postUp = new ArrayList<>();
        private final List<String> preDown = new ArrayList<>();
        private final List<String> postDown = new ArrayList<>();
        private boolean saveConfig;

        private Builder() {
        }

        public Builder privateKey(Key key) {
            privateKey = Objects.requireNonNull(key, "key");
            return this;
        }

        /** 0..65535 (0: random). */
        public Builder listenPort(int port) {
            Syntax.checkPort(port, true);
            listenPort = OptionalInt.of(port);
            return this;
        }

        public Builder listenPort(OptionalInt port) {
            if (port.isPresent()) {
                return listenPort(port.getAsInt());
            }
            listenPort = port;
            return this;
        }

        /** 0..2^32-1; 0 means off (wg treats 0 and {@code off} alike) and clears the mark. */
        public Builder fwMark(long mark) {
            if (mark < 0 || mark > MAX_FWMARK) {
                throw new InvalidValueException(BadConfigException.Reason.NUMBER_OUT_OF_RANGE, Long.toString(mark));
            }
            fwMark = mark == 0 ? OptionalLong.empty() : OptionalLong.of(mark);
            return this;
        }

        public Builder fwMark(OptionalLong mark) {
            return fwMark(mark.orElse(0));
        }

        public Builder addAddress(IpPrefix address) {
            addresses.add(Objects.requireNonNull(address, "address"));
            return this;
        }

        /** Replaces the addresses. */
        public Builder addresses(Collection<IpPrefix> list) {
            List<IpPrefix> copy = List.copyOf(list);
            addresses.clear();
            addresses.addAll(copy);
            return this;
        }

        /** @throws InvalidValueException INVALID_ADDRESS for a scoped IPv6 address */
        public Builder addDnsServer(InetAddress server) {
            dnsServers.add(Syntax.normalizeAddress(server));
            return this;
        }

        /** Replaces the DNS servers. */
        public Builder dnsServers(Collection<InetAddress> list) {
            List<InetAddress> copy = list.stream().map(Syntax::normalizeAddress).toList();
            dnsServers.clear();
            dnsServers.addAll(copy);
            return this;
        }

        /**
         * A search domain: an ASCII host name, or {@code ~} followed by a host name or {@code .} (systemd-resolved
         * routing domains). It must not look like a server address (digits and dots only), which wg-quick would
         * read back as a server.
         *
         * @throws InvalidValueException INVALID_VALUE
         */
        public Builder addDnsSearchDomain(String domain) {
            dnsSearchDomains.add(checkSearchDomain(domain));
            return this;
        }

        /** Replaces the search domains. */
        public Builder dnsSearchDomains(Collection<String> list) {
            List<String> copy = list.stream().map(Builder::checkSearchDomain).toList();
            dnsSearchDomains.clear();
            dnsSearchDomains.addAll(copy);
            return this;
        }

        /** {@value #MIN_MTU}..{@value #MAX_MTU}. */
        public Builder mtu(int value) {
            if (value < MIN_MTU || value > MAX_MTU) {
                throw new InvalidValueException(BadConfigException.Reason.NUMBER_OUT_OF_RANGE,
                        Integer.toString(value));
            }
            mtu = OptionalInt.of(value);
            return this;
        }

        public Builder mtu(OptionalInt value) {
            if (value.isPresent()) {
                return mtu(value.getAsInt());
            }
            mtu = value;
            return this;
        }

        public Builder table(Table value) {
            table = Objects.requireNonNull(value, "table");
            return this;
        }

        /**
         * Hook text must be a single line without surrounding whitespace (what wg-quick reads back).
         *
         * @throws InvalidValueException INVALID_VALUE (the text is not echoed: hooks may hold secrets)
         */
        public Builder addPreUp(String command) {
            preUp.add(checkHook(command));
            return this;
        }

        public Builder addPostUp(String command) {
            postUp.add(checkHook(command));
            return this;
        }

        public Builder addPreDown(String command) {
            preDown.add(checkHook(command));
            return this;
        }

        public Builder addPostDown(String command) {
            postDown.add(checkHook(command));
            return this;
        }

        public Builder preUp(Collection<String> commands) {
            return replaceHooks(preUp, commands);
        }

        public Builder postUp(Collection<String> commands) {
            return replaceHooks(postUp, commands);
        }

        public Builder preDown(Collection<String> commands) {
            return replaceHooks(preDown, commands);
        }

        public Builder postDown(Collection<String> commands) {
            return replaceHooks(postDown, commands);
        }

        public Builder saveConfig(boolean value) {
            saveConfig = value;
            return this;
        }

        /** @throws InvalidValueException MISSING_PRIVATE_KEY */
        public Interface build() {
            if (privateKey == null) {
                throw new InvalidValueException(BadConfigException.Reason.MISSING_PRIVATE_KEY, null);
            }
            return new Interface(this);
        }

        private Builder replaceHooks(List<String> target, Collection<String> commands) {
            List<String> copy = commands.stream().map(Builder::checkHook).toList();
            target.clear();
            target.addAll(copy);
            return this;
        }

        private static String checkHook(String command) {
            Objects.requireNonNull(command, "command");
            if (command.indexOf('\n') >= 0 || command.indexOf('\r') >= 0 || !Syntax.trim(command).equals(command)) {
                throw new InvalidValueException(BadConfigException.Reason.INVALID_VALUE, null);
            }
            return command;
        }

        static String checkSearchDomain(String domain) {
            Objects.requireNonNull(domain, "domain");
            String name = domain.startsWith("~") ? domain.substring(1) : domain;
            boolean ok = domain.startsWith("~") && name.equals(".") || Syntax.isHostName(name);
            if (!ok) {
                throw new InvalidValueException(BadConfigException.Reason.INVALID_VALUE, domain);
            }
            return domain;
        }
    }
}
