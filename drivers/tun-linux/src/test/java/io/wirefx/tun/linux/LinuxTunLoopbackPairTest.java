package io.wirefx.tun.linux;

import io.wirefx.tun.PacketBatch;
import io.wirefx.tun.TunClosedException;
import io.wirefx.tun.TunDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The loopback pair the engine warms up on: two {@link LinuxTunDevice}s over a socket pair, running the same
 * read/poll/write code as a real TUN fd. Needs no privilege.
 */
class LinuxTunLoopbackPairTest {

    private static final int HEADROOM = 16;
    private TunDevice a;
    private TunDevice b;

    @BeforeEach
    void open() throws Exception {
        LinuxTunDriver driver = new LinuxTunDriver();
        assumeTrue(LibC.loadFailure().isEmpty(), () -> "libc unavailable: " + LibC.loadFailure().orElseThrow());
        TunDevice[] pair = LinuxTunDriver.openLoopbackPair(1420);
        a = pair[0];
        b = pair[1];
        assertInstanceOf(LinuxTunDevice.class, a, driver.id());
    }

    @AfterEach
    void close() {
        if (a != null) {
            a.close();
            b.close();
        }
    }

    private static byte[] packet(int len, int seed) {
        byte[] p = new byte[len];
        for (int i = 0; i < len; i++) {
            p[i] = (byte) (seed * 31 + i);
        }
        return p;
    }

    @Test
    void packetsCrossBothWaysWithTheirBoundariesAndOrder() throws Exception {
        PacketBatch out = new PacketBatch(8, 1500);
        int[] sizes = {84, 1420, 40, 600};
        for (int i = 0; i < sizes.length; i++) {
            out.add(packet(sizes[i], i));
        }
        assertEquals(4, a.write(out));
        PacketBatch in = new PacketBatch(8, HEADROOM, 1500, 0);
        assertEquals(4, b.read(in), "one read drains what is queued");
        for (int i = 0; i < sizes.length; i++) {
            assertEquals(HEADROOM, in.offset(i));
            assertArrayEquals(packet(sizes[i], i), in.copyPacket(i));
        }
        assertEquals(1, b.write(single(packet(52, 9))));
        PacketBatch back = new PacketBatch(8, 1500);
        assertEquals(1, a.read(back));
        assertArrayEquals(packet(52, 9), back.copyPacket(0));
    }

    @Test
    void anOversizePacketIsDroppedNotTruncated() throws Exception {
        PacketBatch out = new PacketBatch(2, 2000);
        out.add(packet(1800, 1));
        out.add(packet(100, 2));
        assertEquals(2, a.write(out));
        PacketBatch in = new PacketBatch(4, 1500);
        assertEquals(1, b.read(in));
        assertArrayEquals(packet(100, 2), in.copyPacket(0));
        assertEquals(1, ((LinuxTunDevice) b).droppedOversizeReads());
    }

    @Test
    void aBlockedReaderWakesForAPacketAndForClose() throws Exception {
        CompletableFuture<byte[]> first = CompletableFuture.supplyAsync(() -> readOne(b));
        Thread.sleep(50); // let it reach poll
        assertFalse(first.isDone());
        a.write(single(packet(84, 3)));
        assertArrayEquals(packet(84, 3), first.get(10, TimeUnit.SECONDS));

        CompletableFuture<byte[]> second = CompletableFuture.supplyAsync(() -> readOne(b));
        Thread.sleep(50);
        b.close();
        assertEquals(0, second.get(10, TimeUnit.SECONDS).length, "read returns -1 after close");
        assertFalse(b.isOpen());
        assertThrows(TunClosedException.class, () -> b.write(single(packet(20, 1))));
    }

    @Test
    void reportsItsNameAndMtuWithoutAnInterface() {
        assertEquals("loopback-a", a.name());
        assertEquals(1420, a.mtu());
        assertTrue(a.isOpen());
    }

    private static PacketBatch single(byte[] p) {
        PacketBatch batch = new PacketBatch(1, p.length);
        batch.add(p);
        return batch;
    }

    private static byte[] readOne(TunDevice d) {
        try {
            PacketBatch in = new PacketBatch(4, 1500);
            return d.read(in) < 0 ? new byte[0] : in.copyPacket(0);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
