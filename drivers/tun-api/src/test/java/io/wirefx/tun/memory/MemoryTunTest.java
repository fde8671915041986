package io.wirefx.tun.memory;

import io.wirefx.tun.PacketBatch;
import io.wirefx.tun.TunEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MemoryTun specifics beyond the contract: queue bounds, drop counters, link events, test-side handle. */
class MemoryTunTest {

    @Test
    void injectIsRefusedWhenTheQueueIsFullOrTheDeviceClosed() {
        MemoryTun tun = new MemoryTun("m", 1420, 2);
        assertTrue(tun.inject(new byte[]{1}));
        assertTrue(tun.inject(new byte[]{2}));
        assertFalse(tun.inject(new byte[]{3}));
        assertEquals(2, tun.pendingInbound());
        tun.close();
        assertFalse(tun.inject(new byte[]{4}));
    }

    @Test
    void injectCopiesTheCallersBytes() {
        MemoryTun tun = new MemoryTun("m", 1420);
        byte[] p = {1, 2, 3, 4, 5};
        tun.inject(p, 1, 3);
        p[2] = 99;
        PacketBatch b = new PacketBatch(4, 100);
        assertEquals(1, tun.read(b));
        assertArrayEquals(new byte[]{2, 3, 4}, b.copyPacket(0));
    }

    @Test
    void writesBeyondTheQueueCapacityAreDroppedAndCounted() throws Exception {
        MemoryTun tun = new MemoryTun("m", 1420, 3);
        PacketBatch b = new PacketBatch(5, 100);
        for (int i = 0; i < 5; i++) {
            b.add(new byte[]{(byte) i});
        }
        assertEquals(3, tun.write(b));
        assertEquals(2, tun.droppedWrites());
        assertEquals(3, tun.writtenCount());
        List<Byte> got = new ArrayList<>();
        byte[] p;
        while ((p = tun.pollWritten()) != null) {
            got.add(p[0]);
        }
        assertEquals(List.of((byte) 0, (byte) 1, (byte) 2), got);
    }

    @Test
    void writtenPacketsAreCopies() throws Exception {
        MemoryTun tun = new MemoryTun("m", 1420);
        PacketBatch b = new PacketBatch(1, 100);
        b.add(new byte[]{7, 8});
        tun.write(b);
        b.array(0)[b.offset(0)] = 0;
        assertArrayEquals(new byte[]{7, 8}, tun.takeWritten(1, TimeUnit.SECONDS));
    }

    @Test
    void oversizePacketsAreDroppedOnReadAndCounted() {
        MemoryTun tun = new MemoryTun("m", 1420);
        tun.inject(new byte[50]);
        tun.inject(new byte[10]);
        PacketBatch b = new PacketBatch(4, 20);
        assertEquals(1, tun.read(b));
        assertEquals(10, b.length(0));
        assertEquals(1, tun.droppedReads());
    }

    @Test
    void packetsWrittenBeforeCloseCanStillBeTaken() throws Exception {
        MemoryTun tun = new MemoryTun("m", 1420);
        PacketBatch b = new PacketBatch(1, 100);
        b.add(new byte[]{42});
        tun.write(b);
        tun.close();
        assertArrayEquals(new byte[]{42}, tun.takeWritten(1, TimeUnit.SECONDS));
        assertNull(tun.takeWritten(1, TimeUnit.SECONDS), "closed and empty: no wait");
    }

    @Test
    void linkStateChangesAreReportedOnlyOnChange() {
        MemoryTun tun = new MemoryTun("m", 1420);
        List<TunEvent> events = new ArrayList<>();
        tun.addListener((d, e) -> events.add(e));
        assertFalse(tun.isLinkUp());
        tun.setLinkUp(true);
        tun.setLinkUp(true);
        tun.setLinkUp(false);
        assertEquals(List.of(new TunEvent.LinkStateChanged(true), new TunEvent.LinkStateChanged(false)), events);
    }

    @Test
    void simulatedRemovalAfterCloseDoesNothing() {
        MemoryTun tun = new MemoryTun("m", 1420);
        List<TunEvent> events = new ArrayList<>();
        tun.addListener((d, e) -> events.add(e));
        tun.close();
        tun.simulateRemoval();
        assertTrue(events.isEmpty());
    }

    @Test
    void rejectsBadConstructorArguments() {
        assertThrows(IllegalArgumentException.class, () -> new MemoryTun("m", 67));
        assertThrows(IllegalArgumentException.class, () -> new MemoryTun("m", 1420, 0));
        assertThrows(NullPointerException.class, () -> new MemoryTun(null, 1420));
    }
}
