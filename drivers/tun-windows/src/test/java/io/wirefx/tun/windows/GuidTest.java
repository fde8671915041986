package io.wirefx.tun.windows;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class GuidTest {

    @Test
    void nativeBytesHaveTheFirstThreeGroupsLittleEndian() {
        Guid g = Guid.parse("{c38d57d1-05a7-4c33-904f-7fbceee60e82}"); // FWPM_LAYER_ALE_AUTH_CONNECT_V4
        assertEquals("d1578dc3a705334c904f7fbceee60e82", HexFormat.of().formatHex(g.toBytes()));
        assertEquals(g, Guid.fromBytes(g.toBytes()));
        assertEquals("{C38D57D1-05A7-4C33-904F-7FBCEEE60E82}", g.braced());
    }

    @Test
    void aTunnelsGuidIsStableNameBasedVersionFive() {
        Guid a = Guid.forTunnel("office");
        assertEquals(a, Guid.forTunnel("office"));
        assertNotEquals(a, Guid.forTunnel("home"));
        assertEquals(5, a.uuid().version());
        assertEquals(2, a.uuid().variant());
    }
}
