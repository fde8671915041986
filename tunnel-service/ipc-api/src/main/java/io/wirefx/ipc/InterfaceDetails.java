package io.wirefx.ipc;

import java.util.List;
import java.util.Objects;

/**
 * The {@code [Interface]} section of a tunnel. Optional values are null when unset.
 *
 * @param privateKey Base64, present only for admins
 * @param publicKey  Base64, derived from the private key
 * @param dns        DNS servers and search domains, as in the file
 * @param table      wg-quick's Table value ({@code auto}, {@code off}, {@code main}, a number or a name)
 */
public record InterfaceDetails(String privateKey, String publicKey, Integer listenPort, Long fwMark,
                               List<String> addresses, List<String> dns, Integer mtu, String table,
                               List<String> preUp, List<String> postUp, List<String> preDown,
                               List<String> postDown, boolean saveConfig) {
    public InterfaceDetails {
        Objects.requireNonNull(publicKey, "publicKey");
        addresses = copy(addresses);
        dns = copy(dns);
        preUp = copy(preUp);
        postUp = copy(postUp);
        preDown = copy(preDown);
        postDown = copy(postDown);
    }

    static List<String> copy(List<String> list) {
        return list == null ? List.of() : List.copyOf(list);
    }

    /** The same without the private key. */
    public InterfaceDetails redacted() {
        return new InterfaceDetails(null, publicKey, listenPort, fwMark, addresses, dns, mtu, table, preUp, postUp,
                preDown, postDown, saveConfig);
    }

    /** Never shows the private key. */
    @Override
    public String toString() {
        return "InterfaceDetails[publicKey=" + publicKey + ", privateKey=" + (privateKey == null ? "absent" : "(hidden)")
                + ", listenPort=" + listenPort + ", addresses=" + addresses + ", mtu=" + mtu + ", table=" + table + "]";
    }
}
