package io.wirefx.core.crypto;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConstantTimeTest {
    @Test
    void equalsComparesRanges() {
        byte[] a = {1, 2, 3, 4, 5};
        byte[] b = {9, 2, 3, 4, 9};
        assertTrue(ConstantTime.equals(a, 1, b, 1, 3));
        assertFalse(ConstantTime.equals(a, 0, b, 0, 3));
        assertFalse(ConstantTime.equals(a, 1, b, 1, 4));
        assertTrue(ConstantTime.equals(a, 0, b, 0, 0));
        byte[] c = {(byte) 0x80};
        byte[] d = {0};
        assertFalse(ConstantTime.equals(c, 0, d, 0, 1));
    }

    @Test
    void isZero() {
        assertTrue(ConstantTime.isZero(new byte[0]));
        assertTrue(ConstantTime.isZero(new byte[32]));
        byte[] x = new byte[32];
        x[31] = (byte) 0x80;
        assertFalse(ConstantTime.isZero(x));
    }
}
