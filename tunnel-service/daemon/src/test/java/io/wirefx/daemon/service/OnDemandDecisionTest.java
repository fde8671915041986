package io.wirefx.daemon.service;

import io.wirefx.ipc.OnDemandRules;
import io.wirefx.platform.NetworkMonitor;
import io.wirefx.platform.NetworkMonitor.Connection;
import io.wirefx.platform.NetworkMonitor.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every rule against every kind of network, trusted lists, several networks at once. */
class OnDemandDecisionTest {
    static Connection wifi(String ssid) {
        return new Connection("wlan " + ssid, Kind.WIFI, Optional.of(ssid));
    }

    static final Connection WIRED = new Connection("Wired connection 1", Kind.WIRED, Optional.empty());
    static final Connection LOOPBACK = new Connection("lo", Kind.OTHER, Optional.empty());

    static OnDemandRules rules(boolean wifi, boolean wired, String... trusted) {
        return new OnDemandRules(wifi, wired, List.of(trusted));
    }

    static boolean up(OnDemandRules r, Connection... active) {
        return OnDemandDecision.decide(r, List.of(active)).up();
    }

    /** Rows: onWifi, onWired, network (cafe = untrusted Wi-Fi, home = trusted Wi-Fi, wired, other, none), up. */
    @ParameterizedTest(name = "wifi={0} wired={1} on {2} → up={3}")
    @CsvSource({
            "true,  false, cafe,  true",
            "true,  false, home,  false",
            "true,  false, wired, false",
            "true,  false, other, false",
            "true,  false, none,  false",
            "false, true,  cafe,  false",
            "false, true,  home,  false",
            "false, true,  wired, true",
            "false, true,  other, false",
            "false, true,  none,  false",
            "true,  true,  cafe,  true",
            "true,  true,  home,  false",
            "true,  true,  wired, true",
            "true,  true,  other, false",
            "true,  true,  none,  false",
    })
    void everyRuleOnEveryKind(boolean onWifi, boolean onWired, String network, boolean expected) {
        OnDemandRules r = rules(onWifi, onWired, "Home");
        List<Connection> active = switch (network) {
            case "cafe" -> List.of(wifi("Cafe"));
            case "home" -> List.of(wifi("Home"));
            case "wired" -> List.of(WIRED);
            case "other" -> List.of(LOOPBACK);
            default -> List.of();
        };
        assertEquals(expected, OnDemandDecision.decide(r, active).up());
    }

    @Test
    void emptyTrustedListMeansAnyWifi() {
        assertTrue(up(rules(true, false), wifi("Home")));
        assertTrue(up(rules(true, false), wifi("")), "a hidden network is not trusted");
    }

    @Test
    void trustedIsExact() {
        OnDemandRules r = rules(true, false, "Home", "Office 5G");
        assertFalse(up(r, wifi("Home")));
        assertFalse(up(r, wifi("Office 5G")));
        assertTrue(up(r, wifi("home")), "case matters");
        assertTrue(up(r, wifi("Home ")), "spaces matter");
        assertTrue(up(r, wifi("Office")));
    }

    @Test
    void notUtf8SsidIsNeverTrusted() {
        String broken = "Caf" + NetworkMonitor.NOT_UTF8;
        assertTrue(up(rules(true, false, broken), wifi(broken)));
    }

    @Test
    void anyNetworkThatAsksWins() {
        assertTrue(up(rules(true, false, "Home"), wifi("Home"), wifi("Cafe")), "untrusted beside trusted");
        assertTrue(up(rules(false, true, "Home"), wifi("Home"), WIRED), "wired beside trusted Wi-Fi");
        assertFalse(up(rules(true, false, "Home"), wifi("Home"), WIRED), "wired without a wired rule");
        assertTrue(up(rules(true, false), LOOPBACK, wifi("Cafe")), "other kinds do not matter");
    }

    @Test
    void reasonsNameTheNetwork() {
        assertEquals("on Wi-Fi 'Cafe' (untrusted)", OnDemandDecision.decide(rules(true, false, "Home"),
                List.of(wifi("Cafe"))).reason());
        assertEquals("on Wi-Fi 'Home' (trusted)", OnDemandDecision.decide(rules(true, false, "Home"),
                List.of(wifi("Home"))).reason());
        assertEquals("on wired (Wired connection 1)", OnDemandDecision.decide(rules(false, true),
                List.of(WIRED)).reason());
        assertEquals("no Wi-Fi or wired network", OnDemandDecision.decide(rules(true, true),
                new ArrayList<>(List.of(LOOPBACK))).reason());
    }
}
