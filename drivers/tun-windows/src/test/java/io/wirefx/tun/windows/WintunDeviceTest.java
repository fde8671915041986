package io.wirefx.tun.windows;

import io.wirefx.tun.PacketBatch;
import io.wirefx.tun.TunEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Wintun-specific behaviour of {@link WintunDevice} beyond the TUN contract, over {@link FakeWintun}. */
class WintunDeviceTest {

    private static final String NAME = "wfx-dev";
    private final FakeWintun fake = new FakeWintun();
    private final WintunDevice device = open();

    private WintunDevice open() {
        try {
            return new WintunDriver(() -> new WintunDriver.Natives(fake, fake)).open(NAME, 1420);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @AfterEach
    void close() {
        device.close();
    }

    private static PacketBatch batchOf(int n, int size) {
        PacketBatch b = new PacketBatch(n, 16, 1500, 32);
        for (int i = 0; i < n; i++) {
            byte[] p = new byte[size];
            p[0] = (byte) i;
            b.add(p);
        }
        return b;
    }

    @Test
    void aFullSendRingDropsAndCountsInsteadOfBlocking() throws Exception {
        fake.sendRingBytes = 3 * (4 + 100); // room for three 100-byte records
        int accepted = device.write(batchOf(5, 100));
        assertEquals(3, accepted);
        assertEquals(2, device.droppedRingFull());
        for (int i = 0; i < 3; i++) {
            assertEquals(i, fake.takeSent(NAME, 1000)[0], "ring order is write order");
        }
        assertEquals(2, device.write(batchOf(2, 100)), "space freed by the consumer is used again");
    }

    @Test
    void everyReceivedPacketIsReleasedAndCopiedAtTheHeadroom() throws Exception {
        for (int i = 0; i < 5; i++) {
            fake.inject(NAME, new byte[]{0x45, (byte) i, 7});
        }
        PacketBatch b = new PacketBatch(8, 16, 1500, 32);
        assertEquals(5, device.read(b));
        for (int i = 0; i < 5; i++) {
            assertEquals(16, b.offset(i));
            assertArrayEquals(new byte[]{0x45, (byte) i, 7}, b.copyPacket(i));
        }
        synchronized (fake.lock) {
            assertTrue(fake.outstanding.isEmpty(), "released: " + fake.outstanding.keySet());
        }
    }

    @Test
    void anOversizePacketIsReleasedAndCounted() throws Exception {
        fake.inject(NAME, new byte[200]);
        fake.inject(NAME, new byte[]{1});
        PacketBatch b = new PacketBatch(4, 100);
        assertEquals(1, device.read(b));
        assertEquals(1, device.droppedOversizeReads());
        synchronized (fake.lock) {
            assertTrue(fake.outstanding.isEmpty());
        }
    }

    @Test
    void awaitReadableKeepsThePacketItReceivedForReadNow() throws Exception {
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return device.awaitReadable();
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        });
        Thread.sleep(50);
        assertFalse(waiting.isDone(), "nothing queued: it waits");
        fake.inject(NAME, new byte[]{9, 8, 7});
        fake.inject(NAME, new byte[]{6});
        assertTrue(waiting.get(5, TimeUnit.SECONDS));
        PacketBatch b = new PacketBatch(4, 1500);
        assertEquals(2, device.readNow(b));
        assertArrayEquals(new byte[]{9, 8, 7}, b.copyPacket(0), "the held packet comes first");
        assertArrayEquals(new byte[]{6}, b.copyPacket(1));
        assertEquals(0, device.readNow(b));
    }

    @Test
    void closeEndsTheSessionBeforeClosingTheAdapterAndNeverClosesTheReadWaitEvent() {
        device.close();
        List<String> calls;
        synchronized (fake.lock) {
            calls = List.copyOf(fake.calls);
        }
        int end = calls.indexOf("endSession " + NAME);
        int closeAdapter = calls.indexOf("closeAdapter " + NAME);
        assertTrue(end >= 0 && closeAdapter > end, calls.toString());
        assertEquals(1, calls.stream().filter("closeHandle event"::equals).count(), "only the quit event: " + calls);
        assertTrue(fake.adapter(NAME).closed);
    }

    @Test
    void aTerminatingAdapterClosesTheDeviceAndReportsRemoval() throws Exception {
        LinkedBlockingQueue<TunEvent> events = new LinkedBlockingQueue<>();
        device.addListener((d, e) -> events.add(e));
        FakeWintun.Session s = fake.adapter(NAME).session;
        synchronized (fake.lock) {
            s.terminated = true;
        }
        assertEquals(-1, device.read(new PacketBatch(4, 1500)));
        assertFalse(device.isOpen());
        TunEvent.DeviceRemoved removed = assertInstanceOf(TunEvent.DeviceRemoved.class, events.poll());
        assertTrue(removed.detail().contains("ERROR_HANDLE_EOF"), removed.detail());
    }

    @Test
    void writesOnATerminatedAdapterCloseTheDevice() {
        fake.terminate(NAME);
        assertThrows(io.wirefx.tun.TunClosedException.class, () -> device.write(batchOf(1, 20)));
        assertFalse(device.isOpen());
    }

    @Test
    void theMtuIsTheIpInterfaceMtuOfTheLuid() throws Exception {
        assertEquals(1420, fake.get(device.luid()));
        LinkedBlockingQueue<TunEvent> events = new LinkedBlockingQueue<>();
        device.addListener((d, e) -> events.add(e));
        fake.set(device.luid(), 1380); // changed from outside (netsh)
        assertEquals(1380, device.mtu());
        assertEquals(new TunEvent.MtuChanged(1420, 1380), events.poll());
        device.setMtu(1280);
        assertEquals(1280, fake.get(device.luid()));
    }
}
