package io.wirefx.core.config;

import io.wirefx.core.config.BadConfigException.Reason;
import io.wirefx.core.config.BadConfigException.Section;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static io.wirefx.core.config.ConfigParseTest.PRIV;
import static io.wirefx.core.config.ConfigParseTest.PSK;
import static io.wirefx.core.config.ConfigParseTest.PUB1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigErrorTest {

    private static BadConfigException fail(String text) {
        return assertThrows(BadConfigException.class, () -> Config.parse(text));
    }

    private static void assertError(BadConfigException e, int line, Section section, String key, Reason reason,
                                    String value) {
        assertEquals(reason, e.reason(), e::getMessage);
        assertEquals(line, e.lineNumber(), e::getMessage);
        assertEquals(section, e.section(), e::getMessage);
        assertEquals(Optional.ofNullable(key), e.key(), e::getMessage);
        assertEquals(Optional.ofNullable(value), e.value(), e::getMessage);
    }

    /** A valid interface (lines 1-2) and peer (lines 3-4), with {@code extra} inserted as line 5 of the peer. */
    private static String peerWith(String extra) {
        return "[Interface]\nPrivateKey = " + PRIV + "\n[Peer]\nPublicKey = " + PUB1 + "\n" + extra + "\n";
    }

    /** A valid interface (lines 1-2) with {@code extra} as line 3. */
    private static String ifaceWith(String extra) {
        return "[Interface]\nPrivateKey = " + PRIV + "\n" + extra + "\n";
    }

    @Test
    void messageComposesFromFields() {
        BadConfigException e = fail(peerWith("AllowedIPs = 10.0.0.0/8, 10.0.0.300/24"));
        assertError(e, 5, Section.PEER, "AllowedIPs", Reason.INVALID_CIDR, "10.0.0.300/24");
        assertEquals("line 5, [Peer] AllowedIPs: INVALID_CIDR (\"10.0.0.300/24\")", e.getMessage());
        assertEquals("[Interface]: MISSING_SECTION", fail("").getMessage());
        assertEquals("line 1: SYNTAX_ERROR", fail("garbage").getMessage());
    }

    @Test
    void emptyOrCommentOnlyFileHasNoInterface() {
        for (String text : new String[]{"", "\n\n", "# just a comment\n", "\uFEFF"}) {
            assertError(fail(text), 0, Section.INTERFACE, null, Reason.MISSING_SECTION, null);
        }
        assertError(fail("[Peer]\nPublicKey = " + PUB1 + "\n"), 0, Section.INTERFACE, null,
                Reason.MISSING_SECTION, null);
    }

    @Test
    void structuralErrors() {
        assertError(fail("[Interface]\nPrivateKey = " + PRIV + "\n\n[interface]\n"), 4, Section.INTERFACE, null,
                Reason.DUPLICATE_SECTION, null);
        assertError(fail("# hi\nListenPort = 1\n[Interface]\n"), 2, Section.TOP_LEVEL, "ListenPort",
                Reason.KEY_OUTSIDE_SECTION, null);
        assertError(fail("privatekey = " + PRIV + "\n"), 1, Section.TOP_LEVEL, "PrivateKey",
                Reason.KEY_OUTSIDE_SECTION, null);
        assertError(fail(ifaceWith("[Peers]")), 3, Section.TOP_LEVEL, null, Reason.UNKNOWN_SECTION, "Peers");
        assertError(fail(ifaceWith("[ Interface ]")), 3, Section.TOP_LEVEL, null, Reason.UNKNOWN_SECTION, null);
        assertError(fail(ifaceWith("[Peer")), 3, Section.TOP_LEVEL, null, Reason.SYNTAX_ERROR, null);
        assertError(fail(ifaceWith("[Peer] x")), 3, Section.TOP_LEVEL, null, Reason.SYNTAX_ERROR, null);
        assertError(fail(ifaceWith("ListenPort 51820")), 3, Section.INTERFACE, null, Reason.SYNTAX_ERROR, null);
        assertError(fail(ifaceWith("ListenPort # = 51820")), 3, Section.INTERFACE, null, Reason.SYNTAX_ERROR, null);
        assertError(fail(peerWith("= 10.0.0.1")), 5, Section.PEER, null, Reason.SYNTAX_ERROR, null);
    }

    @Test
    void unknownKeys() {
        assertError(fail(ifaceWith("Bogus = 1")), 3, Section.INTERFACE, "Bogus", Reason.UNKNOWN_KEY, null);
        assertError(fail(ifaceWith("Endpoint = 1.2.3.4:5")), 3, Section.INTERFACE, "Endpoint", Reason.UNKNOWN_KEY,
                null);
        assertError(fail(peerWith("PostUp = echo")), 5, Section.PEER, "PostUp", Reason.UNKNOWN_KEY, null);
        assertError(fail(peerWith("address = 10.0.0.1/32")), 5, Section.PEER, "Address", Reason.UNKNOWN_KEY, null);
        // wg(8) would accept "Allowed IPs" by removing all spaces; we do not guess.
        assertError(fail(peerWith("Allowed IPs = 10.0.0.1/32")), 5, Section.PEER, null, Reason.UNKNOWN_KEY, null);
    }

    @Test
    void aStraySecretIsNeverEchoed() {
        // A pasted key line parses as key "<base64 without '='>" with an empty value.
        BadConfigException e = fail(ifaceWith(PSK));
        assertError(e, 3, Section.INTERFACE, null, Reason.UNKNOWN_KEY, null);
        assertFalse(e.getMessage().contains(PSK.substring(0, 20)));
        BadConfigException e2 = fail(ifaceWith("PrivatKey = " + PSK));
        assertError(e2, 3, Section.INTERFACE, "PrivatKey", Reason.UNKNOWN_KEY, null);
        assertFalse(e2.getMessage().contains(PSK.substring(0, 20)));
    }

    @Test
    void duplicateSingleValuedKeys() {
        assertError(fail(ifaceWith("PrivateKey = " + PSK)), 3, Section.INTERFACE, "PrivateKey",
                Reason.DUPLICATE_KEY, null);
        assertError(fail(ifaceWith("ListenPort = 1\nlistenport = 2")), 4, Section.INTERFACE, "ListenPort",
                Reason.DUPLICATE_KEY, "2");
        assertError(fail(ifaceWith("Table = off\nTable = off")), 4, Section.INTERFACE, "Table",
                Reason.DUPLICATE_KEY, "off");
        assertError(fail(peerWith("PublicKey = " + PUB1)), 5, Section.PEER, "PublicKey", Reason.DUPLICATE_KEY,
                PUB1);
        assertError(fail(peerWith("PresharedKey = " + PSK + "\nPresharedKey = " + PSK)), 6, Section.PEER,
                "PresharedKey", Reason.DUPLICATE_KEY, null);
        assertError(fail(peerWith("Endpoint = a:1\nEndpoint = b:2")), 6, Section.PEER, "Endpoint",
                Reason.DUPLICATE_KEY, "b:2");
    }

    @Test
    void missingKeysPointAtTheHeader() {
        assertError(fail("# c\n[Interface]\nListenPort = 1\n"), 2, Section.INTERFACE, "PrivateKey",
                Reason.MISSING_PRIVATE_KEY, null);
        // Reported when the section ends, so an earlier missing key wins over a later error.
        assertError(fail("[Interface]\nListenPort = 1\n[Peer]\nBogus\n"), 1, Section.INTERFACE, "PrivateKey",
                Reason.MISSING_PRIVATE_KEY, null);
        assertError(fail("[Interface]\nPrivateKey = " + PRIV + "\n\n[Peer]\nPublicKey = " + PUB1
                        + "\n[Peer]\nAllowedIPs = 10.0.0.0/8\n\n[Peer]\nPublicKey = " + ConfigParseTest.PUB2),
                6, Section.PEER, "PublicKey", Reason.MISSING_PUBLIC_KEY, null);
    }

    @Test
    void duplicatePeer() {
        assertError(fail(peerWith("[Peer]\nPublicKey = " + PUB1)), 6, Section.PEER, "PublicKey",
                Reason.DUPLICATE_PEER, PUB1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"PrivateKey", "ListenPort", "FwMark", "MTU", "Table", "SaveConfig"})
    void missingValuesInInterface(String key) {
        String text = "[Interface]\n" + (key.equals("PrivateKey") ? "" : "PrivateKey = " + PRIV + "\n") + key
                + " =   # nothing\n";
        int line = key.equals("PrivateKey") ? 2 : 3;
        assertError(fail(text), line, Section.INTERFACE, key, Reason.MISSING_VALUE, null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"PresharedKey", "Endpoint", "PersistentKeepalive"})
    void missingValuesInPeer(String key) {
        assertError(fail(peerWith(key + " =")), 5, Section.PEER, key, Reason.MISSING_VALUE, null);
    }

    @Test
    void emptyListsAreFine() throws Exception {
        Config c = Config.parse(ifaceWith("Address =\nDNS = ,\n[Peer]\nPublicKey = " + PUB1 + "\nAllowedIPs ="));
        assertTrue(c.iface().addresses().isEmpty());
        assertTrue(c.iface().dnsServers().isEmpty());
        assertTrue(c.peers().getFirst().allowedIps().isEmpty());
    }

    @Test
    void badKeys() {
        assertError(fail("[Interface]\nPrivateKey = notakey\n"), 2, Section.INTERFACE, "PrivateKey",
                Reason.INVALID_KEY, null);
        assertError(fail("[Interface]\nPrivateKey = " + PRIV.substring(1) + "\n"), 2, Section.INTERFACE,
                "PrivateKey", Reason.INVALID_KEY, null);
        assertError(fail(peerWith("PresharedKey = " + PSK.replace('=', 'A'))), 5, Section.PEER, "PresharedKey",
                Reason.INVALID_KEY, null);
        String badPub = "!" + PUB1.substring(1);
        assertError(fail("[Interface]\nPrivateKey = " + PRIV + "\n[Peer]\nPublicKey = " + badPub + "\n"), 4,
                Section.PEER, "PublicKey", Reason.INVALID_KEY, badPub);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ListenPort = 65536      | ListenPort | INVALID_PORT             | 65536",
            "ListenPort = -1         | ListenPort | INVALID_PORT             | -1",
            "ListenPort = 0x10       | ListenPort | INVALID_PORT             | 0x10",
            "ListenPort = wireguard  | ListenPort | SERVICE_NAME_UNSUPPORTED | wireguard",
            "FwMark = 0x             | FwMark     | INVALID_NUMBER           | 0x",
            "FwMark = 0X10           | FwMark     | INVALID_NUMBER           | 0X10",
            "FwMark = 0xfg           | FwMark     | INVALID_NUMBER           | 0xfg",
            "FwMark = -5             | FwMark     | INVALID_NUMBER           | -5",
            "FwMark = on             | FwMark     | INVALID_NUMBER           | on",
            "FwMark = 0x100000000    | FwMark     | NUMBER_OUT_OF_RANGE      | 0x100000000",
            "FwMark = 0xffffffffffffffffffffff | FwMark | NUMBER_OUT_OF_RANGE | 0xffffffffffffffffffffff",
            "FwMark = 4294967296     | FwMark     | NUMBER_OUT_OF_RANGE      | 4294967296",
            "MTU = 1420.5            | MTU        | INVALID_NUMBER           | 1420.5",
            "MTU = auto              | MTU        | INVALID_NUMBER           | auto",
            "MTU = -1                | MTU        | INVALID_NUMBER           | -1",
            "MTU = 0                 | MTU        | NUMBER_OUT_OF_RANGE      | 0",
            "MTU = 65536             | MTU        | NUMBER_OUT_OF_RANGE      | 65536",
            "Table = 4294967296      | Table      | NUMBER_OUT_OF_RANGE      | 4294967296",
            "Table = my table        | Table      | INVALID_VALUE            | my table",
            "SaveConfig = yes        | SaveConfig | INVALID_VALUE            | yes",
            "Address = 10.0.0.1/24, 10.0.0.1/33 | Address | INVALID_CIDR    | 10.0.0.1/33",
            "Address = 10.0.0.1/24 fe80::1%eth0/64 | Address | INVALID_CIDR | fe80::1%eth0/64",
            "DNS = 1.1.1.1, 1.1.1   | DNS        | INVALID_ADDRESS          | 1.1.1",
            "DNS = fe80::1%eth0     | DNS        | INVALID_ADDRESS          | fe80::1%eth0",
            "DNS = bad/domain       | DNS        | INVALID_VALUE            | bad/domain",
    })
    void badInterfaceValues(String line, String key, Reason reason, String value) {
        assertError(fail(ifaceWith(line)), 3, Section.INTERFACE, key, reason, value);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "AllowedIPs = 10.0.0.0/8,                | AllowedIPs | INVALID_CIDR | ''",
            "AllowedIPs = 10.0.0.0/8,,::/0           | AllowedIPs | INVALID_CIDR | ''",
            "AllowedIPs = +10.0.0.0/8                | AllowedIPs | INVALID_CIDR | +10.0.0.0/8",
            "AllowedIPs = ::/129                     | AllowedIPs | INVALID_CIDR | ::/129",
            "Endpoint = vpn.example.com              | Endpoint   | INVALID_ENDPOINT | vpn.example.com",
            "Endpoint = [2001:db8::1:51820           | Endpoint   | INVALID_ENDPOINT | [2001:db8::1:51820",
            "Endpoint = host:70000                   | Endpoint   | INVALID_PORT | host:70000",
            "Endpoint = host:wireguard               | Endpoint   | SERVICE_NAME_UNSUPPORTED | host:wireguard",
            "PersistentKeepalive = 65536             | PersistentKeepalive | NUMBER_OUT_OF_RANGE | 65536",
            "PersistentKeepalive = 25s               | PersistentKeepalive | INVALID_NUMBER | 25s",
            "PersistentKeepalive = -1                | PersistentKeepalive | INVALID_NUMBER | -1",
    })
    void badPeerValues(String line, String key, Reason reason, String value) {
        assertError(fail(peerWith(line)), 5, Section.PEER, key, reason, value);
    }

    @Test
    void lineNumbersCountCrLfAndLoneCr() {
        String text = "[Interface]\r\nPrivateKey = " + PRIV + "\r\rMTU = x\r\n";
        assertError(fail(text), 4, Section.INTERFACE, "MTU", Reason.INVALID_NUMBER, "x");
    }

    @Test
    void invalidUtf8ReportsItsLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("wg0.conf");
        byte[] head = ("[Interface]\nPrivateKey = " + PRIV + "\n# caf").getBytes();
        byte[] bytes = new byte[head.length + 2];
        System.arraycopy(head, 0, bytes, 0, head.length);
        bytes[head.length] = (byte) 0xe9; // Latin-1 'é'
        bytes[head.length + 1] = '\n';
        Files.write(file, bytes);
        BadConfigException e = assertThrows(BadConfigException.class, () -> Config.parse(file));
        assertError(e, 3, Section.TOP_LEVEL, null, Reason.INVALID_ENCODING, null);
    }

    @Test
    void tooLarge(@TempDir Path dir) throws Exception {
        String big = ifaceWith("#" + "x".repeat(Config.MAX_TEXT_LENGTH));
        assertError(fail(big), 0, Section.TOP_LEVEL, null, Reason.TOO_LARGE, null);
        assertError(assertThrows(BadConfigException.class, () -> Config.parse(new StringReader(big))), 0,
                Section.TOP_LEVEL, null, Reason.TOO_LARGE, null);
        Path file = dir.resolve("big.conf");
        Files.writeString(file, big);
        assertError(assertThrows(BadConfigException.class, () -> Config.parse(file)), 0, Section.TOP_LEVEL, null,
                Reason.TOO_LARGE, null);
    }

    @Test
    void secretValuesNeverAppearInAnyError() {
        String[] texts = {
                ifaceWith("PrivateKey = " + PSK),
                peerWith("PresharedKey = " + PSK + "x"),
                peerWith("PresharedKey = " + PSK + "\nPresharedKey = " + PSK),
                "PresharedKey = " + PSK + "\n",
                ifaceWith(PSK + " = " + PSK),
        };
        for (String t : texts) {
            BadConfigException e = fail(t);
            assertTrue(e.value().isEmpty(), e::getMessage);
            assertFalse(e.getMessage().contains(PSK.substring(0, 20)), e::getMessage);
        }
    }

    @Test
    void interfaceNames() {
        for (String ok : new String[]{"wg0", "a", "my_vpn=+.-9", "x".repeat(15)}) {
            assertTrue(Config.isValidInterfaceName(ok), ok);
            assertEquals(ok, Config.validateInterfaceName(ok));
        }
        for (String bad : new String[]{"", "x".repeat(16), "wg 0", "wg/0", "wg0\n", "wgä", "wg:0"}) {
            assertFalse(Config.isValidInterfaceName(bad), bad);
            InvalidValueException e = assertThrows(InvalidValueException.class,
                    () -> Config.validateInterfaceName(bad));
            assertEquals(Reason.INVALID_INTERFACE_NAME, e.reason());
        }
        assertFalse(Config.isValidInterfaceName(null));
        assertEquals(Optional.of("wg0"), TunnelNames.fromFileName("wg0.conf"));
        assertEquals(Optional.of("home-vpn"), TunnelNames.fromFileName("/etc/wireguard/home-vpn.conf"));
        assertEquals(Optional.of("a"), TunnelNames.fromFileName("C:\\wg\\a.conf"));
        assertEquals(Optional.empty(), TunnelNames.fromFileName("wg0.txt"));
        assertEquals(Optional.empty(), TunnelNames.fromFileName(".conf"));
        assertEquals(Optional.of("sixteen-chars-xx"), TunnelNames.fromFileName("sixteen-chars-xx.conf"));
        assertEquals(Optional.empty(), TunnelNames.fromFileName("thirty-three-characters-long-name.conf"));
        assertEquals(Optional.empty(), TunnelNames.fromFileName("COM1.conf"));
        assertEquals(Optional.empty(), TunnelNames.fromFileName("nul.txt.conf"));
    }

    @Test
    void builderValidation() {
        assertEquals(Reason.MISSING_PRIVATE_KEY,
                assertThrows(InvalidValueException.class, () -> Interface.builder().build()).reason());
        assertEquals(Reason.MISSING_PUBLIC_KEY,
                assertThrows(InvalidValueException.class, () -> PeerConfig.builder().build()).reason());
        assertEquals(Reason.MISSING_SECTION,
                assertThrows(InvalidValueException.class, () -> Config.builder().build()).reason());
        Interface.Builder b = Interface.builder();
        assertEquals(Reason.INVALID_PORT, assertThrows(InvalidValueException.class, () -> b.listenPort(65536)).reason());
        assertEquals(Reason.NUMBER_OUT_OF_RANGE, assertThrows(InvalidValueException.class, () -> b.mtu(67)).reason());
        assertEquals(Reason.NUMBER_OUT_OF_RANGE,
                assertThrows(InvalidValueException.class, () -> b.fwMark(1L << 32)).reason());
        assertEquals(Reason.INVALID_VALUE, assertThrows(InvalidValueException.class, () -> b.addPostUp(" x")).reason());
        assertEquals(Reason.INVALID_VALUE,
                assertThrows(InvalidValueException.class, () -> b.addPostUp("a\nb")).reason());
        assertEquals(Reason.INVALID_VALUE,
                assertThrows(InvalidValueException.class, () -> b.addDnsSearchDomain("10.0.0")).reason());
        assertEquals(Reason.INVALID_VALUE,
                assertThrows(InvalidValueException.class, () -> b.addDnsSearchDomain("a:b")).reason());
        assertEquals(Reason.NUMBER_OUT_OF_RANGE,
                assertThrows(InvalidValueException.class,
                        () -> PeerConfig.builder().persistentKeepalive(65536)).reason());
        PeerConfig p = PeerConfig.builder().publicKey(io.wirefx.core.crypto.Key.fromBase64(PUB1)).build();
        assertEquals(Reason.DUPLICATE_PEER, assertThrows(InvalidValueException.class,
                () -> Config.builder().iface(Interface.builder()
                        .privateKey(io.wirefx.core.crypto.Key.fromBase64(PRIV)).build())
                        .addPeer(p).addPeer(p).build()).reason());
    }
}
