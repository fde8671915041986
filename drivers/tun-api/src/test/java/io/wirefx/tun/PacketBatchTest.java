package io.wirefx.tun;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PacketBatchTest {

    @Test
    void geometry() {
        PacketBatch b = new PacketBatch(4, 16, 1500, 32);
        assertEquals(4, b.capacity());
        assertEquals(16, b.headroom());
        assertEquals(1500, b.packetCapacity());
        assertEquals(32, b.tailroom());
        assertEquals(1548, b.slotSize());
        for (int i = 0; i < 4; i++) {
            assertEquals(1548, b.array(i).length);
            assertEquals(16, b.offset(i));
            assertEquals(0, b.length(i));
        }
        assertTrue(b.isEmpty());
        assertFalse(b.isFull());
        for (int i = 0; i < 4; i++) {
            assertNotSame(b.array(0), i == 0 ? new byte[0] : b.array(i), "each slot has its own array");
        }
    }

    @Test
    void rejectsBadGeometry() {
        assertThrows(IllegalArgumentException.class, () -> new PacketBatch(0, 1500));
        assertThrows(IllegalArgumentException.class, () -> new PacketBatch(1, 0));
        assertThrows(IllegalArgumentException.class, () -> new PacketBatch(1, -1, 10, 0));
        assertThrows(IllegalArgumentException.class, () -> new PacketBatch(1, 0, 10, -1));
        assertThrows(IllegalArgumentException.class, () -> new PacketBatch(1, Integer.MAX_VALUE, 10, 0));
    }

    @Test
    void addCopiesToTheHeadroomAndCounts() {
        PacketBatch b = new PacketBatch(2, 4, 8, 4);
        byte[] src = {9, 1, 2, 3, 9};
        assertEquals(0, b.add(src, 1, 3));
        src[1] = 0;
        assertEquals(1, b.count());
        assertEquals(4, b.offset(0));
        assertEquals(3, b.length(0));
        assertArrayEquals(new byte[]{1, 2, 3}, b.copyPacket(0));
        assertEquals(1, b.add(new byte[8]));
        assertTrue(b.isFull());
        assertThrows(IllegalStateException.class, () -> b.add(new byte[1]));
    }

    @Test
    void addRejectsPacketsLargerThanTheCapacity() {
        PacketBatch b = new PacketBatch(2, 4, 8, 4);
        assertThrows(IllegalArgumentException.class, () -> b.add(new byte[9]));
        assertEquals(0, b.count());
        assertThrows(IndexOutOfBoundsException.class, () -> b.add(new byte[4], 2, 3));
    }

    @Test
    void setAcceptsAnyRegionInsideTheSlotArray() {
        PacketBatch b = new PacketBatch(1, 16, 100, 31);
        b.set(0, 0, 147); // headroom and tailroom included: encrypt-in-place output
        assertEquals(0, b.offset(0));
        assertEquals(147, b.length(0));
        b.set(0, 147, 0);
        assertThrows(IllegalArgumentException.class, () -> b.set(0, 1, 147));
        assertThrows(IllegalArgumentException.class, () -> b.set(0, -1, 2));
        assertThrows(IllegalArgumentException.class, () -> b.set(0, 0, -1));
        assertThrows(IllegalArgumentException.class, () -> b.set(0, Integer.MAX_VALUE, 10));
        assertThrows(IndexOutOfBoundsException.class, () -> b.set(1, 0, 1));
    }

    @Test
    void clearResetsRegionsButNotContents() {
        PacketBatch b = new PacketBatch(2, 2, 8, 0);
        b.add(new byte[]{5, 6});
        b.set(1, 0, 10);
        b.setCount(2);
        b.clear();
        assertEquals(0, b.count());
        assertEquals(2, b.offset(1));
        assertEquals(0, b.length(1));
        assertEquals(5, b.array(0)[2]);
    }

    @Test
    void setCountIsBounded() {
        PacketBatch b = new PacketBatch(3, 10);
        b.setCount(3);
        assertTrue(b.isFull());
        assertThrows(IllegalArgumentException.class, () -> b.setCount(4));
        assertThrows(IllegalArgumentException.class, () -> b.setCount(-1));
    }

    @Test
    void bufferViewTracksTheRegionAndIsReused() {
        PacketBatch b = new PacketBatch(1, 4, 8, 4);
        b.add(new byte[]{1, 2, 3});
        ByteBuffer v = b.buffer(0);
        assertSame(b.array(0), v.array());
        assertEquals(4, v.position());
        assertEquals(7, v.limit());
        v.position(7);
        b.set(0, 0, 16);
        ByteBuffer v2 = b.buffer(0);
        assertSame(v, v2);
        assertEquals(0, v2.position());
        assertEquals(16, v2.limit());
    }

    @Test
    void swapExchangesSlotsWithoutCopying() {
        PacketBatch a = new PacketBatch(2, 4, 8, 4);
        PacketBatch c = new PacketBatch(3, 4, 8, 4);
        a.add(new byte[]{1});
        c.add(new byte[]{2, 2});
        c.set(2, 0, 16);
        byte[] aArr = a.array(0);
        byte[] cArr = c.array(2);
        ByteBuffer staleView = a.buffer(0);
        a.swap(0, c, 2);
        assertSame(cArr, a.array(0));
        assertSame(aArr, c.array(2));
        assertEquals(0, a.offset(0));
        assertEquals(16, a.length(0));
        assertEquals(4, c.offset(2));
        assertEquals(1, c.length(2));
        assertSame(cArr, a.buffer(0).array(), "view follows the swapped array");
        assertNotSame(staleView, a.buffer(0));
        assertThrows(IllegalArgumentException.class, () -> a.swap(0, new PacketBatch(1, 4, 9, 4), 0));
    }
}
