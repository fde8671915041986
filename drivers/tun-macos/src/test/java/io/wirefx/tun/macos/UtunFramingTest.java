package io.wirefx.tun.macos;

import io.wirefx.tun.PacketBatch;
import io.wirefx.tun.TunDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The exact bytes a {@link UtunDevice} puts on and takes off its socket, over a Unix socket pair. */
class UtunFramingTest {

    private SocketPairPeer peer;
    private UtunDevice device;

    @BeforeEach
    void open() throws Exception {
        assumeTrue(PosixConstants.host().isPresent() && Posix.loadFailure().isEmpty(), "no libc bindings here");
        peer = SocketPairPeer.open(PosixConstants.host().orElseThrow());
        device = peer.device("utun-test", 1500);
    }

    @AfterEach
    void close() {
        if (device != null) {
            device.close();
            peer.close();
        }
    }

    @Test
    void theHeaderIsTheFamilyInNetworkOrder() {
        byte[] b = new byte[4];
        UtunHeader.put(b, 0, UtunHeader.AF_INET6);
        assertEquals("0000001e", HexFormat.of().formatHex(b));
        UtunHeader.put(b, 0, UtunHeader.AF_INET);
        assertEquals("00000002", HexFormat.of().formatHex(b));
        assertEquals(30, UtunHeader.get(new byte[]{0, 0, 0, 30}, 0));
        assertEquals(UtunHeader.AF_INET, UtunHeader.familyFor((byte) 0x45));
        assertEquals(UtunHeader.AF_INET6, UtunHeader.familyFor((byte) 0x60));
        assertEquals(-1, UtunHeader.familyFor((byte) 0x12));
    }

    @Test
    void writePrependsTheFamilyOfEachPacketsIpVersion() throws Exception {
        byte[] v4 = HexFormat.of().parseHex("4500001c0000");
        byte[] v6 = HexFormat.of().parseHex("6000000000083a40");
        PacketBatch batch = new PacketBatch(4, 16, 256, 16);
        batch.add(v4);
        batch.add(v6);
        assertEquals(2, device.write(batch));
        assertEquals("00000002" + HexFormat.of().formatHex(v4), HexFormat.of().formatHex(peer.receiveFrame(2000)));
        assertEquals("0000001e" + HexFormat.of().formatHex(v6), HexFormat.of().formatHex(peer.receiveFrame(2000)));
    }

    @Test
    void writeDropsAndCountsWhatIsNotIp() throws Exception {
        PacketBatch batch = new PacketBatch(3, 256);
        batch.add(new byte[]{0x12, 0x34});
        batch.add(new byte[]{0x45, 1, 2});
        batch.setCount(3); // slot 2: an empty packet
        batch.set(2, 0, 0);
        assertEquals(1, device.write(batch));
        assertEquals(2, device.droppedWrites());
        assertEquals("0000000245" + "0102", HexFormat.of().formatHex(peer.receiveFrame(2000)));
        assertNull(peer.receiveFrame(100));
    }

    @Test
    void readStripsTheHeaderAndDropsFramesWithoutAPacket() throws Exception {
        byte[] packet = HexFormat.of().parseHex("60000000000411ff");
        peer.sendFrame(new byte[]{0, 0, 0}); // shorter than the header
        peer.sendFrame(new byte[]{0, 0, 0, 2}); // a header and nothing behind it
        peer.sendFrame(SocketPairPeer.frame(UtunHeader.AF_INET6, packet));
        PacketBatch batch = new PacketBatch(8, 32, 1500, 0);
        assertEquals(1, device.read(batch));
        assertEquals(32, batch.offset(0));
        assertArrayEquals(packet, batch.copyPacket(0));
        assertEquals(2, device.droppedReads());
    }

    @Test
    void aLoopbackPairCarriesPacketsBothWays() throws Exception {
        TunDevice[] pair = device.openLoopbackPair();
        try {
            assertEquals(1500, pair[0].mtu());
            PacketBatch out = new PacketBatch(2, 1500);
            out.add(HexFormat.of().parseHex("450000140000"));
            assertEquals(1, pair[0].write(out));
            PacketBatch in = new PacketBatch(2, 1500);
            assertEquals(1, pair[1].read(in));
            assertArrayEquals(out.copyPacket(0), in.copyPacket(0));
            out.clear();
            out.add(HexFormat.of().parseHex("6000"));
            assertEquals(1, pair[1].write(out));
            assertEquals(1, pair[0].readNow(in));
            assertArrayEquals(out.copyPacket(0), in.copyPacket(0));
        } finally {
            pair[0].close();
            pair[1].close();
        }
        assertNotNull(pair[0].toString());
    }
}
