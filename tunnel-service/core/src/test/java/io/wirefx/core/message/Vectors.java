package io.wirefx.core.message;

import java.util.HexFormat;

/** Messages from reference §9.7 (deterministic handshake, PSK = 0, checked against wireguard-go). */
final class Vectors {
    static final HexFormat HEX = HexFormat.of();

    static final String INITIATION_HEX =
            "010000004433221179a631eede1bf9c98f12032cdeadd0e7a079398fc786b88cc846ec89af85a51af0225eb421886af8f54fb31289d49dcd82b0f6f3279d40d7"
            + "cff913fece0c64ad226eef3320755b393b72f16842c8d7ee78a74e93706bf2699cf4ecc111ae85e2c5c2aed5e675f41650d4e268ece9fa50b3526909967eddaa"
            + "d8dd7f1c00000000000000000000000000000000";
    static final String RESPONSE_HEX =
            "020000008877665544332211675dd574ed7789310b3d2e7681f3790b466c773b1521fecf36577958371ea52f40adafe5b428d380f513fc058e8f2783d3a1f12d"
            + "88e4333dde5fe521043e1f4b00000000000000000000000000000000";
    static final String COOKIE_REPLY_HEX =
            "0300000044332211c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7f4d08beb60161762aed61c05060f750c907d9fd0c6ea72fcfaa052bdb2715771";
    static final String KEEPALIVE_HEX = "04000000887766550000000000000000291241ac6c6d0b472543a7c56d5dbcd0";
    static final String DATA_HEX =
            "04000000443322110000000000000000e22f5c5ffaf1e0d2ac57ef0ffec8c36d8068c594144876a74597032249b2f22a";
    /** mac2 of the same initiation re-sent after the cookie reply. */
    static final String MAC2_WITH_COOKIE_HEX = "c5e28bafbead884125717e1ca4444f60";

    static final String EI_PUB = "79a631eede1bf9c98f12032cdeadd0e7a079398fc786b88cc846ec89af85a51a";
    static final String ER_PUB = "675dd574ed7789310b3d2e7681f3790b466c773b1521fecf36577958371ea52f";

    private Vectors() {
    }

    static byte[] bytes(String hex) {
        return HEX.parseHex(hex);
    }

    static byte[] initiation() {
        return bytes(INITIATION_HEX);
    }

    static byte[] response() {
        return bytes(RESPONSE_HEX);
    }

    static byte[] cookieReply() {
        return bytes(COOKIE_REPLY_HEX);
    }

    static byte[] keepalive() {
        return bytes(KEEPALIVE_HEX);
    }

    static byte[] data() {
        return bytes(DATA_HEX);
    }
}
