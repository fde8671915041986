package io.wirefx.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.bouncycastle.crypto.digests.Blake2sDigest;

class Blake2sPropertiesTest {
    @Property(tries = 300)
    void incrementalEqualsOneShot(@ForAll @Size(max = 600) byte[] msg, @ForAll @Size(max = 32) byte[] key,
            @ForAll @IntRange(min = 1, max = 32) int outLen, @ForAll @Size(max = 6) int[] cuts) {
        byte[] oneShot = new byte[outLen];
        new Blake2s(outLen, key).update(msg).digest(oneShot, 0);

        Blake2s inc = new Blake2s(outLen, key);
        int[] points = Arrays.stream(cuts).map(c -> Math.floorMod(c, msg.length + 1)).sorted().toArray();
        int prev = 0;
        for (int p : points) {
            inc.update(msg, prev, p - prev);
            prev = p;
        }
        inc.update(msg, prev, msg.length - prev);
        byte[] incremental = new byte[outLen];
        inc.digest(incremental, 0);
        assertArrayEquals(oneShot, incremental);
    }

    /** Cross-check against BouncyCastle's independent BLAKE2s for all key and digest lengths. */
    @Property(tries = 300)
    void matchesBouncyCastle(@ForAll @Size(max = 300) byte[] msg, @ForAll @Size(max = 32) byte[] key,
            @ForAll @IntRange(min = 1, max = 32) int outLen) {
        Blake2sDigest bc = new Blake2sDigest(key.length == 0 ? null : key, outLen, null, null);
        bc.update(msg, 0, msg.length);
        byte[] expected = new byte[outLen];
        bc.doFinal(expected, 0);
        byte[] actual = new byte[outLen];
        new Blake2s(outLen, key).update(msg).digest(actual, 0);
        assertArrayEquals(expected, actual);
    }

    @Property(tries = 100)
    void hashOfPartsEqualsHashOfConcatenation(@ForAll @Size(max = 200) byte[] a, @ForAll @Size(max = 200) byte[] b) {
        byte[] ab = new byte[a.length + b.length];
        System.arraycopy(a, 0, ab, 0, a.length);
        System.arraycopy(b, 0, ab, a.length, b.length);
        assertArrayEquals(Blake2s.hash(ab), Blake2s.hash(a, b));
    }
}
