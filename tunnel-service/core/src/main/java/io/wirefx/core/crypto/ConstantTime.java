package io.wirefx.core.crypto;

import java.util.Objects;

/** Comparisons whose running time does not depend on the compared contents. */
public final class ConstantTime {
    private ConstantTime() {
    }

    /** True when {@code a[aOff..aOff+len)} equals {@code b[bOff..bOff+len)}; time depends only on {@code len}. */
    public static boolean equals(byte[] a, int aOff, byte[] b, int bOff, int len) {
        Objects.checkFromIndexSize(aOff, len, a.length);
        Objects.checkFromIndexSize(bOff, len, b.length);
        int acc = 0;
        for (int i = 0; i < len; i++) {
            acc |= a[aOff + i] ^ b[bOff + i];
        }
        return acc == 0;
    }

    /** True when every byte of {@code a} is zero; time depends only on the length. */
    public static boolean isZero(byte[] a) {
        int acc = 0;
        for (byte x : a) {
            acc |= x;
        }
        return acc == 0;
    }
}
