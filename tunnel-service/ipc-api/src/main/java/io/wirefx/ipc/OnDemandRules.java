package io.wirefx.ipc;

import java.util.List;
import java.util.Objects;

/**
 * When the service starts and stops a tunnel by itself, following the network the machine is on. Off when neither
 * {@code onWifi} nor {@code onWired} is set.
 * <ul>
 *     <li>On a Wi-Fi network whose SSID is in {@code trustedSsids}: the tunnel is stopped.</li>
 *     <li>On any other Wi-Fi network: started if {@code onWifi} (so an empty trusted list means any Wi-Fi).</li>
 *     <li>On a wired network: started if {@code onWired}.</li>
 *     <li>Otherwise (no network, or a kind no rule names): stopped.</li>
 * </ul>
 *
 * @param trustedSsids SSIDs compared exactly (case and bytes as the network reports them)
 */
public record OnDemandRules(boolean onWifi, boolean onWired, List<String> trustedSsids) {
    /** Rules that never start or stop anything. */
    public static final OnDemandRules OFF = new OnDemandRules(false, false, List.of());

    /** Longest SSID (IEEE 802.11: 32 octets) and most trusted networks one tunnel keeps. */
    public static final int MAX_SSID_BYTES = 32;
    public static final int MAX_TRUSTED = 64;

    public OnDemandRules {
        trustedSsids = trustedSsids == null ? List.of() : List.copyOf(trustedSsids);
        if (trustedSsids.size() > MAX_TRUSTED) {
            throw new IllegalArgumentException("at most " + MAX_TRUSTED + " trusted SSIDs, not " + trustedSsids.size());
        }
        for (String ssid : trustedSsids) {
            Objects.requireNonNull(ssid, "trusted SSID");
            int bytes = ssid.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (bytes == 0 || bytes > MAX_SSID_BYTES) {
                throw new IllegalArgumentException("an SSID has 1 to " + MAX_SSID_BYTES + " bytes: \"" + ssid + "\"");
            }
        }
    }

    /** Whether any rule is on. */
    public boolean enabled() {
        return onWifi || onWired;
    }
}
