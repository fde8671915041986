package io.wirefx.core.config;

import io.wirefx.core.config.BadConfigException.Reason;
import io.wirefx.core.config.BadConfigException.Section;
import io.wirefx.core.crypto.Key;
import io.wirefx.core.crypto.KeyFormatException;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Line parser for wg-quick files. Rules (wg-quick's bash and wg's config.c):
 * <ul>
 *   <li>'#' starts a comment anywhere; lines end at LF, CRLF or CR; whitespace is C {@code isspace};</li>
 *   <li>headers and keys match case-insensitively; key and value are trimmed;</li>
 *   <li>values of keys wg(8) handles have all whitespace removed (wg strips every space of a line);</li>
 *   <li>Address and DNS split on commas and whitespace (bash word splitting), AllowedIPs on commas only, and an empty
 *       AllowedIPs entry is an error as in wg;</li>
 *   <li>hooks take the rest of the raw line after the first '=', trimmed, comments included.</li>
 * </ul>
 */
final class ConfigParser {
    /** Unknown key or section names are echoed only if they look like names, never if they might be a secret. */
    private static final Pattern ECHO_SAFE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,31}");

    private enum ConfigKey {
        PRIVATE_KEY(Section.INTERFACE, "PrivateKey", Flag.WG, Flag.SECRET),
        LISTEN_PORT(Section.INTERFACE, "ListenPort", Flag.WG),
        FW_MARK(Section.INTERFACE, "FwMark", Flag.WG),
        ADDRESS(Section.INTERFACE, "Address", Flag.LIST),
        DNS(Section.INTERFACE, "DNS", Flag.LIST),
        MTU(Section.INTERFACE, "MTU"),
        TABLE(Section.INTERFACE, "Table"),
        PRE_UP(Section.INTERFACE, "PreUp", Flag.HOOK),
        POST_UP(Section.INTERFACE, "PostUp", Flag.HOOK),
        PRE_DOWN(Section.INTERFACE, "PreDown", Flag.HOOK),
        POST_DOWN(Section.INTERFACE, "PostDown", Flag.HOOK),
        SAVE_CONFIG(Section.INTERFACE, "SaveConfig"),
        PUBLIC_KEY(Section.PEER, "PublicKey", Flag.WG),
        PRESHARED_KEY(Section.PEER, "PresharedKey", Flag.WG, Flag.SECRET),
        ALLOWED_IPS(Section.PEER, "AllowedIPs", Flag.WG, Flag.LIST),
        ENDPOINT(Section.PEER, "Endpoint", Flag.WG),
        PERSISTENT_KEEPALIVE(Section.PEER, "PersistentKeepalive", Flag.WG);

        enum Flag { WG, SECRET, LIST, HOOK }

        final Section section;
        final String canonical;
        final Set<Flag> flags;

        ConfigKey(Section section, String canonical, Flag... flags) {
            this.section = section;
            this.canonical = canonical;
            this.flags = flags.length == 0 ? EnumSet.noneOf(Flag.class) : EnumSet.of(flags[0], flags);
        }

        boolean is(Flag f) {
            return flags.contains(f);
        }

        boolean repeatable() {
            return is(Flag.LIST) || is(Flag.HOOK);
        }

        static ConfigKey find(String name) {
            for (ConfigKey k : values()) {
                if (Syntax.equalsIgnoreAsciiCase(k.canonical, name)) {
                    return k;
                }
            }
            return null;
        }
    }

    /** One open section: its header line, the keys seen, and the builder. */
    private static final class Open {
        final Section section;
        final int headerLine;
        final Set<ConfigKey> seen = EnumSet.noneOf(ConfigKey.class);
        final Interface.Builder iface;
        final PeerConfig.Builder peer;

        Open(Section section, int headerLine) {
            this.section = section;
            this.headerLine = headerLine;
            this.iface = section == Section.INTERFACE ? Interface.builder() : null;
            this.peer = section == Section.PEER ? PeerConfig.builder() : null;
        }
    }

    private Interface iface;
    private boolean sawInterface;
    private final List<PeerConfig> peers = new ArrayList<>();
    private final Set<Key> peerKeys = new HashSet<>();
    private Open open;
    private int lineNumber;

    private ConfigParser() {
    }

    static Config parse(String text) throws BadConfigException {
        if (text.length() > Config.MAX_TEXT_LENGTH) {
            throw new BadConfigException(Section.TOP_LEVEL, 0, null, Reason.TOO_LARGE, null);
        }
        return new ConfigParser().run(text);
    }

    private Config run(String text) throws BadConfigException {
        int pos = text.startsWith("\uFEFF") ? 1 : 0;
        int n = text.length();
        while (pos <= n) {
            int end = pos;
            while (end < n && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
                end++;
            }
            lineNumber++;
            line(text.substring(pos, end));
            if (end < n && text.charAt(end) == '\r' && end + 1 < n && text.charAt(end + 1) == '\n') {
                end++;
            }
            pos = end + 1;
        }
        closeSection();
        if (!sawInterface) {
            throw new BadConfigException(Section.INTERFACE, 0, null, Reason.MISSING_SECTION, null);
        }
        return Config.builder().iface(iface).peers(peers).build();
    }

    private void line(String raw) throws BadConfigException {
        int hash = raw.indexOf('#');
        String content = Syntax.trim(hash < 0 ? raw : raw.substring(0, hash));
        if (content.isEmpty()) {
            return;
        }
        if (content.charAt(0) == '[') {
            header(content);
            return;
        }
        Section here = open == null ? Section.TOP_LEVEL : open.section;
        int eq = content.indexOf('=');
        if (eq < 0) {
            throw error(here, null, Reason.SYNTAX_ERROR, null);
        }
        String keyText = Syntax.trim(content.substring(0, eq));
        if (keyText.isEmpty()) {
            throw error(here, null, Reason.SYNTAX_ERROR, null);
        }
        ConfigKey key = ConfigKey.find(keyText);
        String keyName = key != null ? key.canonical : echoSafe(keyText);
        if (open == null) {
            throw error(Section.TOP_LEVEL, keyName, Reason.KEY_OUTSIDE_SECTION, null);
        }
        if (key == null || key.section != open.section) {
            throw error(open.section, keyName, Reason.UNKNOWN_KEY, null);
        }
        String value;
        if (key.is(ConfigKey.Flag.HOOK)) {
            value = Syntax.trim(raw.substring(raw.indexOf('=') + 1));
        } else {
            value = Syntax.trim(content.substring(eq + 1));
            if (key.is(ConfigKey.Flag.WG)) {
                value = Syntax.removeSpaces(value);
            }
        }
        String shown = key.is(ConfigKey.Flag.SECRET) || key.is(ConfigKey.Flag.HOOK) ? null : value;
        if (!open.seen.add(key) && !key.repeatable()) {
            throw error(open.section, key.canonical, Reason.DUPLICATE_KEY, shown);
        }
        if (value.isEmpty() && !key.repeatable()) {
            throw error(open.section, key.canonical, Reason.MISSING_VALUE, null);
        }
        try {
            apply(key, value);
        } catch (InvalidValueException e) {
            throw error(open.section, key.canonical, e.reason(), shown == null ? null : e.value().orElse(shown));
        } catch (KeyFormatException e) {
            throw error(open.section, key.canonical, Reason.INVALID_KEY, shown);
        }
    }

    private void header(String content) throws BadConfigException {
        if (content.charAt(content.length() - 1) != ']' || content.length() < 2) {
            throw error(Section.TOP_LEVEL, null, Reason.SYNTAX_ERROR, null);
        }
        String name = content.substring(1, content.length() - 1);
        if (Syntax.equalsIgnoreAsciiCase(name, "Interface")) {
            if (sawInterface) {
                throw error(Section.INTERFACE, null, Reason.DUPLICATE_SECTION, null);
            }
            closeSection();
            sawInterface = true;
            open = new Open(Section.INTERFACE, lineNumber);
        } else if (Syntax.equalsIgnoreAsciiCase(name, "Peer")) {
            closeSection();
            open = new Open(Section.PEER, lineNumber);
        } else {
            throw error(Section.TOP_LEVEL, null, Reason.UNKNOWN_SECTION, echoSafe(name));
        }
    }

    /** Finishes the open section; a missing required key is reported at its header line. */
    private void closeSection() throws BadConfigException {
        if (open == null) {
            return;
        }
        if (open.section == Section.INTERFACE) {
            if (!open.seen.contains(ConfigKey.PRIVATE_KEY)) {
                throw new BadConfigException(Section.INTERFACE, open.headerLine, "PrivateKey",
                        Reason.MISSING_PRIVATE_KEY, null);
            }
            iface = open.iface.build();
        } else {
            if (!open.seen.contains(ConfigKey.PUBLIC_KEY)) {
                throw new BadConfigException(Section.PEER, open.headerLine, "PublicKey",
                        Reason.MISSING_PUBLIC_KEY, null);
            }
            peers.add(open.peer.build());
        }
        open = null;
    }

    private void apply(ConfigKey key, String value) {
        Interface.Builder i = open.iface;
        PeerConfig.Builder p = open.peer;
        switch (key) {
            case PRIVATE_KEY -> i.privateKey(Key.fromBase64(value));
            case LISTEN_PORT -> i.listenPort(Syntax.parsePort(value, true));
            case FW_MARK -> i.fwMark(parseFwMark(value));
            case ADDRESS -> {
                for (String item : splitWords(value)) {
                    i.addAddress(Syntax.parsePrefix(item));
                }
            }
            case DNS -> {
                for (String item : splitWords(value)) {
                    if (Syntax.looksLikeDnsServer(item)) {
                        i.addDnsServer(Syntax.parseAddress(item));
                    } else {
                        i.addDnsSearchDomain(item);
                    }
                }
            }
            case MTU -> i.mtu(parseNumber(value, Interface.MIN_MTU, Interface.MAX_MTU));
            case TABLE -> i.table(Table.parse(value));
            case PRE_UP -> i.addPreUp(value);
            case POST_UP -> i.addPostUp(value);
            case PRE_DOWN -> i.addPreDown(value);
            case POST_DOWN -> i.addPostDown(value);
            case SAVE_CONFIG -> {
                if (Syntax.equalsIgnoreAsciiCase(value, "true")) {
                    i.saveConfig(true);
                } else if (Syntax.equalsIgnoreAsciiCase(value, "false")) {
                    i.saveConfig(false);
                } else {
                    throw new InvalidValueException(Reason.INVALID_VALUE, value);
                }
            }
            case PUBLIC_KEY -> {
                Key k = Key.fromBase64(value);
                if (!peerKeys.add(k)) {
                    throw new InvalidValueException(Reason.DUPLICATE_PEER, value);
                }
                p.publicKey(k);
            }
            case PRESHARED_KEY -> p.presharedKey(Key.fromBase64(value));
            case ALLOWED_IPS -> {
                if (!value.isEmpty()) {
                    for (String item : value.split(",", -1)) {
                        p.addAllowedIp(Syntax.parsePrefix(item));
                    }
                }
            }
            case ENDPOINT -> p.endpoint(InetEndpoint.parse(value));
            case PERSISTENT_KEEPALIVE -> p.persistentKeepalive(
                    Syntax.equalsIgnoreAsciiCase(value, "off") ? 0 : parseNumber(value, 0, 65535));
        }
    }

    private static long parseFwMark(String value) {
        if (Syntax.equalsIgnoreAsciiCase(value, "off")) {
            return 0;
        }
        long v;
        // As wg: lowercase "0x" then hex digits, or decimal digits.
        if (value.length() > 2 && value.startsWith("0x")) {
            v = 0;
            for (int k = 2; k < value.length(); k++) {
                char c = value.charAt(k);
                int d = c <= 'f' ? Character.digit(c, 16) : -1;
                if (d < 0) {
                    throw new InvalidValueException(Reason.INVALID_NUMBER, value);
                }
                v = Math.min(v << 4 | d, Long.MAX_VALUE >>> 4);
            }
        } else {
            v = Syntax.parseDecimal(value);
            if (v < 0) {
                throw new InvalidValueException(Reason.INVALID_NUMBER, value);
            }
        }
        if (v > Interface.MAX_FWMARK) {
            throw new InvalidValueException(Reason.NUMBER_OUT_OF_RANGE, value);
        }
        return v;
    }

    private static int parseNumber(String value, int min, int max) {
        long v = Syntax.parseDecimal(value);
        if (v < 0) {
            throw new InvalidValueException(Reason.INVALID_NUMBER, value);
        }
        if (v < min || v > max) {
            throw new InvalidValueException(Reason.NUMBER_OUT_OF_RANGE, value);
        }
        return (int) v;
    }

    /** Bash's {@code ${value//,/ }} followed by word splitting: commas and whitespace separate, empties vanish. */
    private static List<String> splitWords(String value) {
        List<String> out = new ArrayList<>();
        int start = -1;
        for (int k = 0; k <= value.length(); k++) {
            boolean sep = k == value.length() || value.charAt(k) == ',' || Syntax.isSpace(value.charAt(k));
            if (sep) {
                if (start >= 0) {
                    out.add(value.substring(start, k));
                    start = -1;
                }
            } else if (start < 0) {
                start = k;
            }
        }
        return out;
    }

    private static String echoSafe(String name) {
        return ECHO_SAFE_NAME.matcher(name).matches() ? name : null;
    }

    private BadConfigException error(Section section, String key, Reason reason, String value) {
        return new BadConfigException(section, lineNumber, key, reason, value);
    }
}
