package io.wirefx.daemon.store;

import io.wirefx.core.crypto.Key;
import io.wirefx.core.crypto.KeyPair;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/** Deterministic, valid wg-quick texts for tests: version {@code n} of tunnel {@code name}. */
public final class TestConfigs {
    private TestConfigs() {
    }

    /** A deterministic key derived from a label. */
    public static Key key(String label) {
        try {
            return Key.fromBytes(MessageDigest.getInstance("SHA-256").digest(label.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    public static String privateKey(String name, long version) {
        return key("priv:" + name + ":" + version).toBase64();
    }

    public static String presharedKey(String name, long version, int peer) {
        return key("psk:" + name + ":" + version + ":" + peer).toBase64();
    }

    public static String peerPublicKey(String name, long version, int peer) {
        return KeyPair.fromPrivate(key("peer:" + name + ":" + version + ":" + peer)).publicKey().toBase64();
    }

    /** The private and preshared keys that {@link #text} puts in version {@code n}. */
    public static List<String> secrets(String name, long version) {
        List<String> out = new ArrayList<>();
        out.add(privateKey(name, version));
        for (int p = 0; p < peers(version); p++) {
            if (p % 2 == 0) {
                out.add(presharedKey(name, version, p));
            }
        }
        return out;
    }

    private static int peers(long version) {
        return (int) (version % 5) + 1;
    }

    /** Version {@code n} of {@code name}: first line {@code # version n}, 1-5 peers, variable padding comments. */
    public static String text(String name, long version) {
        StringBuilder sb = new StringBuilder();
        sb.append("# version ").append(version).append('\n');
        sb.append("[Interface]\n");
        sb.append("PrivateKey = ").append(privateKey(name, version)).append('\n');
        sb.append("ListenPort = ").append(1 + version % 60000).append('\n');
        sb.append("Address = 10.").append(version % 250).append(".0.1/24, fd00::").append(Long.toHexString(version % 65536))
                .append("/64\n");
        sb.append("DNS = 10.0.0.53\n");
        for (int p = 0; p < peers(version); p++) {
            sb.append("\n# peer ").append(p).append(" ").append("-".repeat((int) ((version * 37 + p * 11) % 400)))
                    .append('\n');
            sb.append("[Peer]\n");
            sb.append("PublicKey = ").append(peerPublicKey(name, version, p)).append('\n');
            if (p % 2 == 0) {
                sb.append("PresharedKey = ").append(presharedKey(name, version, p)).append('\n');
            }
            sb.append("AllowedIPs = 10.").append(p).append(".").append(version % 250).append(".0/24\n");
            sb.append("Endpoint = 192.0.2.").append(p + 1).append(":51820\n");
            sb.append("PersistentKeepalive = 25\n");
        }
        return sb.toString();
    }

    /** The version number in a text made by {@link #text}, or -1. */
    public static long versionOf(String text) {
        if (!text.startsWith("# version ")) {
            return -1;
        }
        int nl = text.indexOf('\n');
        try {
            return Long.parseLong(text.substring("# version ".length(), nl));
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
