package io.wirefx.core.crypto;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

final class Hex {
    private static final HexFormat HEX = HexFormat.of();

    private Hex() {
    }

    static byte[] h(String s) {
        return HEX.parseHex(s.replace(" ", "").replace("\n", ""));
    }

    static String s(byte[] b) {
        return HEX.formatHex(b);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Bytes from..from+n-1. */
    static byte[] seq(int from, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (from + i);
        }
        return b;
    }
}
