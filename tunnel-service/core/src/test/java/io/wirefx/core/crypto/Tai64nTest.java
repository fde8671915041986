package io.wirefx.core.crypto;

import static io.wirefx.core.crypto.Hex.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class Tai64nTest {
    @Test
    void layoutAndRounding() {
        assertEquals("400000000000000a00000000", s(Tai64n.fromUnix(0, 0)));
        // 0x1300_0000 = 318767104 ns; anything up to the next 2^24 step rounds down to it
        assertEquals("400000006b0729e113000000", s(Tai64n.fromUnix(0x6b0729e1L - 10, 0x13000000)));
        assertEquals("400000006b0729e113000000", s(Tai64n.fromUnix(0x6b0729e1L - 10, 0x13ffffff)));
        assertEquals("400000006b0729e114000000", s(Tai64n.fromUnix(0x6b0729e1L - 10, 0x14000000)));
        assertEquals("400000000000000b3b000000", s(Tai64n.fromUnix(1, 999_999_999)));
    }

    @Test
    void ordering() {
        byte[] a = Tai64n.fromUnix(1_700_000_000L, 0);
        byte[] b = Tai64n.fromUnix(1_700_000_000L, 20_000_000); // > one 16.8 ms step
        byte[] c = Tai64n.fromUnix(1_700_000_001L, 0);
        byte[] same = Tai64n.fromUnix(1_700_000_000L, 1_000_000); // within the same step as a
        assertTrue(Tai64n.compare(a, b) < 0);
        assertTrue(Tai64n.compare(b, c) < 0);
        assertTrue(Tai64n.compare(c, a) > 0);
        assertEquals(0, Tai64n.compare(a, same));
        // unsigned: a byte >= 0x80 is larger
        byte[] x = new byte[12];
        byte[] y = new byte[12];
        x[11] = 0x7f;
        y[11] = (byte) 0x80;
        assertTrue(Tai64n.compare(x, y) < 0);
    }

    @Test
    void rejectsBadNanos() {
        assertThrows(IllegalArgumentException.class, () -> Tai64n.fromUnix(0, -1));
        assertThrows(IllegalArgumentException.class, () -> Tai64n.fromUnix(0, 1_000_000_000));
    }

    @Property(tries = 300)
    void orderMatchesTimeOrder(@ForAll @LongRange(min = 0, max = 1L << 40) long s1,
            @ForAll @IntRange(max = 999_999_999) int n1, @ForAll @LongRange(min = 0, max = 1L << 40) long s2,
            @ForAll @IntRange(max = 999_999_999) int n2) {
        long r1 = n1 & ~0xFFFFFF;
        long r2 = n2 & ~0xFFFFFF;
        int expected = s1 != s2 ? Long.compare(s1, s2) : Long.compare(r1, r2);
        assertEquals(Integer.signum(expected), Integer.signum(Tai64n.compare(Tai64n.fromUnix(s1, n1),
                Tai64n.fromUnix(s2, n2))));
    }
}
