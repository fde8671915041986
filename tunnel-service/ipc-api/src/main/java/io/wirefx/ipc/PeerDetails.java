package io.wirefx.ipc;

import java.util.List;
import java.util.Objects;

/**
 * A {@code [Peer]} section. Optional values are null when unset.
 *
 * @param presharedKey    Base64, present only for admins
 * @param hasPresharedKey whether the peer has a preshared key (told to every role)
 * @param endpoint        {@code host:port} as configured
 */
public record PeerDetails(String publicKey, String presharedKey, boolean hasPresharedKey, List<String> allowedIps,
                          String endpoint, Integer persistentKeepalive) {
    public PeerDetails {
        Objects.requireNonNull(publicKey, "publicKey");
        allowedIps = InterfaceDetails.copy(allowedIps);
        if (presharedKey != null) {
            hasPresharedKey = true;
        }
    }

    /** The same without the preshared key. */
    public PeerDetails redacted() {
        return new PeerDetails(publicKey, null, hasPresharedKey, allowedIps, endpoint, persistentKeepalive);
    }

    /** Never shows the preshared key. */
    @Override
    public String toString() {
        return "PeerDetails[publicKey=" + publicKey + ", presharedKey=" + (hasPresharedKey ? "(hidden)" : "none")
                + ", allowedIps=" + allowedIps + ", endpoint=" + endpoint + ", persistentKeepalive="
                + persistentKeepalive + "]";
    }
}
