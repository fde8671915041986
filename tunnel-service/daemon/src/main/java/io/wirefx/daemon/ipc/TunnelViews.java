package io.wirefx.daemon.ipc;

import io.wirefx.core.config.BadConfigException;
import io.wirefx.core.config.Config;
import io.wirefx.core.config.Interface;
import io.wirefx.core.config.PeerConfig;
import io.wirefx.core.net.IpLiterals;
import io.wirefx.core.net.IpPrefix;
import io.wirefx.daemon.store.ImportOutcome;
import io.wirefx.daemon.store.StoreException;
import io.wirefx.ipc.ConfigError;
import io.wirefx.ipc.ErrorCode;
import io.wirefx.ipc.ImportEntry;
import io.wirefx.ipc.InterfaceDetails;
import io.wirefx.ipc.PeerDetails;
import io.wirefx.ipc.TunnelDetails;
import io.wirefx.ipc.TunnelState;
import io.wirefx.ipc.TunnelSummary;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Conversions between the core/store types and the protocol records (shared by every TunnelService). */
public final class TunnelViews {
    /** What replaces secret values in redacted text. */
    public static final String HIDDEN = "(hidden)";

    private TunnelViews() {
    }

    public static TunnelSummary summary(String name, TunnelState state, Config config) {
        return summary(name, state, config, null);
    }

    /** @param interfaceName the OS interface of a running tunnel, or null */
    public static TunnelSummary summary(String name, TunnelState state, Config config, String interfaceName) {
        if (config == null) {
            return new TunnelSummary(name, state, List.of(), 0, null, interfaceName);
        }
        return new TunnelSummary(name, state, strings(config.iface().addresses()), config.peers().size(),
                config.iface().publicKey().toBase64(), interfaceName);
    }

    /** The full details, keys included. */
    public static TunnelDetails details(Config config) {
        Interface i = config.iface();
        List<String> dns = new ArrayList<>();
        i.dnsServers().forEach(a -> dns.add(IpLiterals.format(a)));
        dns.addAll(i.dnsSearchDomains());
        InterfaceDetails iface = new InterfaceDetails(i.privateKey().toBase64(), i.publicKey().toBase64(),
                i.listenPort().isPresent() ? i.listenPort().getAsInt() : null,
                i.fwMark().isPresent() ? i.fwMark().getAsLong() : null,
                strings(i.addresses()), dns, i.mtu().isPresent() ? i.mtu().getAsInt() : null, i.table().text(),
                i.preUp(), i.postUp(), i.preDown(), i.postDown(), i.saveConfig());
        List<PeerDetails> peers = new ArrayList<>();
        for (PeerConfig p : config.peers()) {
            peers.add(new PeerDetails(p.publicKey().toBase64(), p.presharedKey().map(k -> k.toBase64()).orElse(null),
                    p.presharedKey().isPresent(), strings(p.allowedIps()),
                    p.endpoint().map(Object::toString).orElse(null),
                    p.persistentKeepalive().isPresent() ? p.persistentKeepalive().getAsInt() : null));
        }
        return new TunnelDetails(iface, peers);
    }

    /**
     * The text a non-admin sees: regenerated from the parsed configuration (so comments, which could hold anything,
     * are gone) with the PrivateKey and PresharedKey values replaced by {@value #HIDDEN}; a placeholder comment if
     * the text does not parse.
     */
    public static String redactedText(String text) {
        Config config;
        try {
            config = Config.parse(text);
        } catch (BadConfigException e) {
            return "# the stored configuration is invalid: " + e.getMessage() + "\n";
        }
        StringBuilder sb = new StringBuilder();
        for (String line : config.toWgQuickString().split("\n", -1)) {
            if (line.startsWith("PrivateKey = ")) {
                line = "PrivateKey = " + HIDDEN;
            } else if (line.startsWith("PresharedKey = ")) {
                line = "PresharedKey = " + HIDDEN;
            }
            sb.append(line).append('\n');
        }
        sb.setLength(sb.length() - 1);
        return sb.toString();
    }

    public static ConfigError configError(BadConfigException e) {
        return new ConfigError(e.lineNumber(), e.section().name(), e.key().orElse(null), e.reason().name(),
                e.getMessage());
    }

    public static ErrorCode code(StoreException.Reason reason) {
        return switch (reason) {
            case NOT_FOUND -> ErrorCode.NOT_FOUND;
            case ALREADY_EXISTS -> ErrorCode.ALREADY_EXISTS;
            case INVALID_NAME -> ErrorCode.INVALID_NAME;
            case INVALID_CONFIG -> ErrorCode.INVALID_CONFIG;
            case TOO_LARGE -> ErrorCode.TOO_LARGE;
            case INVALID_ARCHIVE -> ErrorCode.INVALID_ARCHIVE;
            case INVALID_SETTINGS -> ErrorCode.FAILED;
        };
    }

    public static TunnelServiceException exception(StoreException e) {
        return new TunnelServiceException(code(e.reason()), e.getMessage(),
                e.configError().map(TunnelViews::configError).orElse(null));
    }

    public static TunnelServiceException exception(IOException e) {
        return new TunnelServiceException(ErrorCode.FAILED, "storage error: " + e.getMessage());
    }

    public static ImportEntry importEntry(ImportOutcome o) {
        return new ImportEntry(o.entry(), o.tunnel(), o.error() == null ? null : code(o.error()), o.message(),
                o.configError() == null ? null : configError(o.configError()));
    }

    private static List<String> strings(List<IpPrefix> networks) {
        return networks.stream().map(IpPrefix::toString).toList();
    }
}
