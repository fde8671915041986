package io.wirefx.core.config;

import io.wirefx.core.net.IpLiterals;
import io.wirefx.core.net.IpPrefix;
import io.wirefx.core.crypto.Key;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigParseTest {
    static final String PRIV = "MPn+M3lz9429/7fNX5QaCG5hgNHvY2c5KCN9JIq54Qc=";
    static final String PUB1 = "bvIVvACRSHGi2dNRWHORBPiV2INNtfqhwQ/wx9h/QzE=";
    static final String PUB2 = "vmrNrjDfn8ka8sRZg3BbM+ZCMPArLvxcXYt7xZLT274=";
    static final String PUB3 = "shUfNvVj13tTnRZjqbtu2tAF4gBuQCB2+7SNppSeN4Q=";
    static final String PSK = "l3N6AlN1Nrv01ZtajlgLi6Gq7xTGmZ88FGaTipE0zvs=";

    static Config roundTrip(String text) throws BadConfigException {
        Config c = Config.parse(text);
        String written = c.toWgQuickString();
        Config again = Config.parse(written);
        assertEquals(c, again, written);
        assertEquals(c.hashCode(), again.hashCode());
        assertEquals(written, again.toWgQuickString(), "writing is canonical");
        return c;
    }

    @Test
    void fullTunnelClient() throws Exception {
        Config c = roundTrip("""
                [Interface]
                # laptop
                PrivateKey = %s
                Address = 10.66.66.2/32, fd42:42:42::2/128
                DNS = 1.1.1.1, 2606:4700:4700::1111

                [Peer]
                PublicKey = %s
                PresharedKey = %s
                AllowedIPs = 0.0.0.0/0, ::/0
                Endpoint = vpn.example.com:51820
                PersistentKeepalive = 25
                """.formatted(PRIV, PUB1, PSK));
        Interface i = c.iface();
        assertEquals(Key.fromBase64(PRIV), i.privateKey());
        assertEquals(List.of(IpPrefix.parse("10.66.66.2/32"), IpPrefix.parse("fd42:42:42::2/128")),
                i.addresses());
        assertEquals(List.of(IpLiterals.parse("1.1.1.1"), IpLiterals.parse("2606:4700:4700::1111")), i.dnsServers());
        assertTrue(i.dnsSearchDomains().isEmpty());
        assertTrue(i.listenPort().isEmpty());
        assertTrue(i.fwMark().isEmpty());
        assertTrue(i.mtu().isEmpty());
        assertSame(Table.AUTO, i.table());
        assertFalse(i.saveConfig());
        assertEquals(1, c.peers().size());
        PeerConfig p = c.peers().getFirst();
        assertEquals(Key.fromBase64(PUB1), p.publicKey());
        assertEquals(Optional.of(Key.fromBase64(PSK)), p.presharedKey());
        assertEquals(List.of(IpPrefix.parse("0.0.0.0/0"), IpPrefix.parse("::/0")), p.allowedIps());
        assertEquals(Optional.of(InetEndpoint.parse("vpn.example.com:51820")), p.endpoint());
        assertTrue(p.endpoint().orElseThrow().literalAddress().isEmpty());
        assertEquals(OptionalInt.of(25), p.persistentKeepalive());
    }

    @Test
    void serverWithManyPeersKeepsOrder() throws Exception {
        Config c = roundTrip("""
                [Interface]
                Address = 10.0.0.1/24
                Address = fd00::1/64
                ListenPort = 51820
                PrivateKey = %s
                SaveConfig = true

                [Peer]
                PublicKey = %s
                AllowedIPs = 10.0.0.2/32
                AllowedIPs = fd00::2/128, 192.168.10.0/24

                [Peer]
                PublicKey = %s
                AllowedIPs = 10.0.0.3/32
                Endpoint = [2001:db8::3]:41000

                [Peer]
                PublicKey = %s
                """.formatted(PRIV, PUB1, PUB2, PUB3));
        assertEquals(List.of(IpPrefix.parse("10.0.0.1/24"), IpPrefix.parse("fd00::1/64")),
                c.iface().addresses());
        assertEquals(OptionalInt.of(51820), c.iface().listenPort());
        assertTrue(c.iface().saveConfig());
        assertEquals(List.of(Key.fromBase64(PUB1), Key.fromBase64(PUB2), Key.fromBase64(PUB3)),
                c.peers().stream().map(PeerConfig::publicKey).toList());
        assertEquals(List.of(IpPrefix.parse("10.0.0.2/32"), IpPrefix.parse("fd00::2/128"),
                IpPrefix.parse("192.168.10.0/24")), c.peers().get(0).allowedIps());
        InetEndpoint ep = c.peers().get(1).endpoint().orElseThrow();
        assertEquals(IpLiterals.parse("2001:db8::3"), ep.literalAddress().orElseThrow());
        assertEquals(41000, ep.port());
        assertTrue(c.peers().get(2).allowedIps().isEmpty());
        assertTrue(c.peers().get(2).endpoint().isEmpty());
    }

    @Test
    void dnsServersAndSearchDomainsFollowWgQuickRule() throws Exception {
        Config c = roundTrip("""
                [Interface]
                PrivateKey = %s
                DNS = 10.0.0.1,corp.example.com  fd00::53 , ~.
                DNS = ~lan
                """.formatted(PRIV));
        assertEquals(List.of(IpLiterals.parse("10.0.0.1"), IpLiterals.parse("fd00::53")), c.iface().dnsServers());
        assertEquals(List.of("corp.example.com", "~.", "~lan"), c.iface().dnsSearchDomains());
        assertTrue(c.toWgQuickString().contains("DNS = 10.0.0.1, fd00::53, corp.example.com, ~., ~lan\n"));
    }

    @Test
    void tableVariants() throws Exception {
        String base = "[Interface]\nPrivateKey = " + PRIV + "\nTable = %s\n";
        assertSame(Table.OFF, roundTrip(base.formatted("off")).iface().table());
        assertSame(Table.OFF, roundTrip(base.formatted("OFF")).iface().table());
        assertSame(Table.MAIN, roundTrip(base.formatted("main")).iface().table());
        assertSame(Table.AUTO, roundTrip(base.formatted("auto")).iface().table());
        assertEquals(new Table.Id(1234), roundTrip(base.formatted("1234")).iface().table());
        assertEquals(new Table.Named("vpn"), roundTrip(base.formatted("vpn")).iface().table());
        assertFalse(Config.parse(base.formatted("auto")).toWgQuickString().contains("Table"), "auto is the default");
    }

    @Test
    void fwMarkForms() throws Exception {
        String base = "[Interface]\nPrivateKey = " + PRIV + "\nFwMark = %s\n";
        assertEquals(OptionalLong.of(0xca6c), roundTrip(base.formatted("0xca6c")).iface().fwMark());
        assertEquals(OptionalLong.of(0xca6c), roundTrip(base.formatted("0xCA6C")).iface().fwMark());
        assertEquals(OptionalLong.of(51820), roundTrip(base.formatted("51820")).iface().fwMark());
        assertEquals(OptionalLong.of(0xffffffffL), roundTrip(base.formatted("4294967295")).iface().fwMark());
        assertEquals(OptionalLong.empty(), roundTrip(base.formatted("off")).iface().fwMark());
        assertEquals(OptionalLong.empty(), roundTrip(base.formatted("Off")).iface().fwMark());
        assertEquals(OptionalLong.empty(), roundTrip(base.formatted("0")).iface().fwMark());
        assertTrue(Config.parse(base.formatted("51820")).toWgQuickString().contains("FwMark = 0xca6c\n"));
    }

    @Test
    void hooksKeepTheRestOfTheLineWithComments() throws Exception {
        Config c = roundTrip("""
                [Interface]
                PrivateKey = %s
                PreUp = echo "pre=up" # keep this comment
                PostUp   =   iptables -A FORWARD -i %%i -j ACCEPT; iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\t
                PostUp = ip rule add from 10.0.0.0/8 table 42 #second
                PreDown = logger 'going down #1'
                PostDown =
                """.formatted(PRIV));
        Interface i = c.iface();
        assertEquals(List.of("echo \"pre=up\" # keep this comment"), i.preUp());
        assertEquals(List.of(
                "iptables -A FORWARD -i %i -j ACCEPT; iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE",
                "ip rule add from 10.0.0.0/8 table 42 #second"), i.postUp());
        assertEquals(List.of("logger 'going down #1'"), i.preDown());
        assertEquals(List.of(""), i.postDown());
    }

    @Test
    void mtuListenPortKeepalive() throws Exception {
        Config c = roundTrip("""
                [Interface]
                PrivateKey = %s
                MTU = 1420
                ListenPort = 0

                [Peer]
                PublicKey = %s
                PersistentKeepalive = off
                [Peer]
                PublicKey = %s
                PersistentKeepalive = 0
                [Peer]
                PublicKey = %s
                PersistentKeepalive = 65535
                """.formatted(PRIV, PUB1, PUB2, PUB3));
        assertEquals(OptionalInt.of(1420), c.iface().mtu());
        assertEquals(OptionalInt.of(0), c.iface().listenPort());
        assertTrue(c.peers().get(0).persistentKeepalive().isEmpty());
        assertTrue(c.peers().get(1).persistentKeepalive().isEmpty());
        assertEquals(OptionalInt.of(65535), c.peers().get(2).persistentKeepalive());
    }

    @Test
    void caseInsensitiveHeadersAndKeysAndWhitespace() throws Exception {
        Config lower = Config.parse("""
                  [interface]  # comment after header
                privatekey=%s
                \taddress\t=\t10.0.0.2/24
                SAVECONFIG = TRUE
                [PEER]
                publickey    =    %s
                allowedips = 10.0.0.0/24,fd00::/64
                ENDPOINT = 192.0.2.1:51820
                persistentKEEPALIVE = 15
                """.formatted(PRIV, PUB1));
        Config canonical = Config.parse("""
                [Interface]
                PrivateKey = %s
                Address = 10.0.0.2/24
                SaveConfig = true
                [Peer]
                PublicKey = %s
                AllowedIPs = 10.0.0.0/24, fd00::/64
                Endpoint = 192.0.2.1:51820
                PersistentKeepalive = 15
                """.formatted(PRIV, PUB1));
        assertEquals(canonical, lower);
    }

    @Test
    void caseFoldingIsAsciiOnly() {
        // U+212A KELVIN SIGN lowercases to 'k' and U+0131 DOTLESS I uppercases to 'I' in Java, not in strcasecmp.
        BadConfigException e = org.junit.jupiter.api.Assertions.assertThrows(BadConfigException.class,
                () -> Config.parse("[Interface]\nPrivate\u212Aey = " + PRIV + "\n"));
        assertEquals(BadConfigException.Reason.UNKNOWN_KEY, e.reason());
        BadConfigException e2 = org.junit.jupiter.api.Assertions.assertThrows(BadConfigException.class,
                () -> Config.parse("[\u0131nterface]\nPrivateKey = " + PRIV + "\n"));
        assertEquals(BadConfigException.Reason.UNKNOWN_SECTION, e2.reason());
    }

    @Test
    void wgKeysIgnoreInnerWhitespaceLikeWg() throws Exception {
        Config c = Config.parse("[Interface]\nPrivateKey = " + PRIV + "\n[Peer]\nPublicKey = "
                + PUB1.substring(0, 20) + " " + PUB1.substring(20) + "\nAllowedIPs = 10.0.0.0 / 8 , ::/0\n"
                + "Endpoint = [2001:db8::1] : 51820\n");
        PeerConfig p = c.peers().getFirst();
        assertEquals(Key.fromBase64(PUB1), p.publicKey());
        assertEquals(List.of(IpPrefix.parse("10.0.0.0/8"), IpPrefix.parse("::/0")), p.allowedIps());
        assertEquals(InetEndpoint.parse("[2001:db8::1]:51820"), p.endpoint().orElseThrow());
    }

    @Test
    void crlfLoneCrBomAndBlankLines() throws Exception {
        String unix = "[Interface]\nPrivateKey = " + PRIV + "\n\n[Peer]\nPublicKey = " + PUB1
                + "\nAllowedIPs = 10.0.0.0/8\n";
        Config expected = Config.parse(unix);
        assertEquals(expected, Config.parse("\uFEFF" + unix.replace("\n", "\r\n")));
        assertEquals(expected, Config.parse(unix.replace("\n", "\r")));
        assertEquals(expected, Config.parse("\n\n   \n" + unix.replace("\n", "\n \t \n") + "# end"));
        assertEquals(expected, Config.parse(unix.substring(0, unix.length() - 1))); // no final newline
    }

    @Test
    void peerBeforeInterfaceIsFine() throws Exception {
        Config c = Config.parse("[Peer]\nPublicKey = " + PUB1 + "\n[Interface]\nPrivateKey = " + PRIV + "\n");
        assertEquals(1, c.peers().size());
        assertTrue(c.toWgQuickString().startsWith("[Interface]\n"));
    }

    @Test
    void zeroPresharedKeyMeansNone() throws Exception {
        Config c = Config.parse("[Interface]\nPrivateKey = " + PRIV + "\n[Peer]\nPublicKey = " + PUB1
                + "\nPresharedKey = AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n");
        assertTrue(c.peers().getFirst().presharedKey().isEmpty());
    }

    @Test
    void writesCanonicalWgQuickText() throws Exception {
        Config c = Config.parse("""
                [Interface]
                privatekey = %s
                listenport = 51820
                fwmark = 0x10
                address = 10.0.0.1/24 , fd00::1/64
                dns = 1.1.1.1 example.com
                mtu = 1280
                table = off
                postup = echo up
                saveconfig = true
                [peer]
                publickey = %s
                presharedkey = %s
                allowedips = 10.0.0.2/32
                endpoint = [fd00::FFFF]:51820
                persistentkeepalive = 25
                """.formatted(PRIV, PUB1, PSK));
        assertEquals("""
                [Interface]
                PrivateKey = %s
                ListenPort = 51820
                FwMark = 0x10
                Address = 10.0.0.1/24, fd00::1/64
                DNS = 1.1.1.1, example.com
                MTU = 1280
                Table = off
                PostUp = echo up
                SaveConfig = true

                [Peer]
                PublicKey = %s
                PresharedKey = %s
                AllowedIPs = 10.0.0.2/32
                Endpoint = [fd00::ffff]:51820
                PersistentKeepalive = 25
                """.formatted(PRIV, PUB1, PSK), c.toWgQuickString());
        assertEquals("""
                [Interface]
                PrivateKey = %s
                ListenPort = 51820
                FwMark = 0x10

                [Peer]
                PublicKey = %s
                PresharedKey = %s
                AllowedIPs = 10.0.0.2/32
                Endpoint = [fd00::ffff]:51820
                PersistentKeepalive = 25
                """.formatted(PRIV, PUB1, PSK), c.toWgString());
        // The wg-only text is itself a valid config with the wg-quick keys dropped.
        Config stripped = Config.parse(c.toWgString());
        assertEquals(c.peers(), stripped.peers());
        assertEquals(c.iface().toBuilder().addresses(List.of()).dnsServers(List.of()).dnsSearchDomains(List.of())
                .mtu(OptionalInt.empty()).table(Table.AUTO).postUp(List.of()).saveConfig(false).build(),
                stripped.iface());
    }

    @Test
    void readerAndPath(@TempDir Path dir) throws Exception {
        String text = "[Interface]\r\nPrivateKey = " + PRIV + "\r\nPostUp = echo héllo wörld ✓\r\n";
        Config expected = Config.parse(text);
        assertEquals(List.of("echo héllo wörld ✓"), expected.iface().postUp());
        assertEquals(expected, Config.parse(new StringReader(text)));
        Path file = dir.resolve("wg0.conf");
        Files.writeString(file, "\uFEFF" + text, StandardCharsets.UTF_8);
        assertEquals(expected, Config.parse(file));
    }

    @Test
    void secretsStayOutOfToString() throws Exception {
        Config c = Config.parse("[Interface]\nPrivateKey = " + PRIV + "\nPostUp = echo secret-hook\n[Peer]\nPublicKey = "
                + PUB1 + "\nPresharedKey = " + PSK + "\n");
        String s = c.toString();
        assertFalse(s.contains(PRIV), s);
        assertFalse(s.contains(PSK), s);
        assertFalse(s.contains(Key.fromBase64(PRIV).toHex()), s);
        assertFalse(s.contains("secret-hook"), s);
        assertTrue(s.contains(PUB1), s);
    }

    @Test
    void equalityCoversEveryField() throws Exception {
        Config base = Config.parse("[Interface]\nPrivateKey = " + PRIV + "\n[Peer]\nPublicKey = " + PUB1 + "\n");
        Interface i = base.iface();
        PeerConfig p = base.peers().getFirst();
        List<Interface> ifaceVariants = List.of(
                i.toBuilder().privateKey(Key.fromBase64(PUB3)).build(),
                i.toBuilder().listenPort(1).build(),
                i.toBuilder().fwMark(1).build(),
                i.toBuilder().addAddress(IpPrefix.parse("10.0.0.1")).build(),
                i.toBuilder().addDnsServer(IpLiterals.parse("10.0.0.1")).build(),
                i.toBuilder().addDnsSearchDomain("lan").build(),
                i.toBuilder().mtu(1280).build(),
                i.toBuilder().table(Table.OFF).build(),
                i.toBuilder().addPreUp("x").build(),
                i.toBuilder().addPostUp("x").build(),
                i.toBuilder().addPreDown("x").build(),
                i.toBuilder().addPostDown("x").build(),
                i.toBuilder().saveConfig(true).build());
        for (Interface v : ifaceVariants) {
            assertNotEquals(i, v);
            assertNotEquals(base, base.toBuilder().iface(v).build());
        }
        List<PeerConfig> peerVariants = List.of(
                p.toBuilder().publicKey(Key.fromBase64(PUB2)).build(),
                p.toBuilder().presharedKey(Key.fromBase64(PSK)).build(),
                p.toBuilder().addAllowedIp(IpPrefix.parse("::/0")).build(),
                p.toBuilder().endpoint(InetEndpoint.parse("h:1")).build(),
                p.toBuilder().persistentKeepalive(1).build());
        for (PeerConfig v : peerVariants) {
            assertNotEquals(p, v);
        }
        assertEquals(i, i.toBuilder().build());
        assertEquals(p, p.toBuilder().build());
    }
}
