package io.wirefx.tun.macos;

import io.wirefx.tun.TunDevice;
import io.wirefx.tun.TunDeviceContract;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The {@link TunDevice} contract for {@link UtunDevice} over a Unix socket pair whose far end plays the utun kernel
 * side: it sends and receives frames with the 4-byte family header, and checks that every frame the device writes
 * carries the family of its packet's IP version. Runs on Linux and macOS (with each host's constants).
 *
 * <p>Harness packets are {@code 0x45} or {@code 0x60} (an IPv4 or IPv6 first byte, by payload length parity, so both
 * families are framed) followed by the payload.
 */
class SocketPairUtunContractTest extends TunDeviceContract {

    @BeforeAll
    static void needsLibc() {
        assumeTrue(PosixConstants.host().isPresent(), "no constants for this OS");
        assumeTrue(Posix.loadFailure().isEmpty(), () -> "libc: " + Posix.loadFailure().orElseThrow());
    }

    @Override
    protected Harness openHarness() throws Exception {
        SocketPairPeer peer = SocketPairPeer.open(PosixConstants.host().orElseThrow());
        UtunDevice device = peer.device("utun-pair", 1500);
        return new Harness() {
            @Override
            public TunDevice device() {
                return device;
            }

            @Override
            public int overhead() {
                return 1;
            }

            @Override
            public void inject(byte[] payload) throws IOException {
                byte[] packet = packetFor(payload);
                peer.sendFrame(SocketPairPeer.frame(UtunHeader.familyFor(packet[0]), packet));
            }

            @Override
            public byte[] payloadOf(byte[] array, int offset, int length) {
                if (length < 1 || (array[offset] != 0x45 && array[offset] != 0x60)) {
                    return null;
                }
                return Arrays.copyOfRange(array, offset + 1, offset + length);
            }

            @Override
            public byte[] packetFor(byte[] payload) {
                byte[] p = new byte[payload.length + 1];
                p[0] = (byte) (payload.length % 2 == 0 ? 0x45 : 0x60);
                System.arraycopy(payload, 0, p, 1, payload.length);
                return p;
            }

            @Override
            public byte[] awaitDelivered(Duration timeout) throws IOException {
                byte[] frame = peer.receiveFrame((int) timeout.toMillis());
                if (frame == null) {
                    return null;
                }
                byte[] packet = SocketPairPeer.packetOf(frame);
                assertEquals(UtunHeader.familyFor(packet[0]), UtunHeader.get(frame, 0), "family header");
                return payloadOf(packet, 0, packet.length);
            }

            @Override
            public boolean removeInterface() {
                if (peer.c.packetPairType() == PosixConstants.DARWIN.packetPairType()) {
                    return false; // a datagram pair reports no end of file when the peer goes
                }
                peer.close(); // the device reads end of file, as when its interface vanishes
                return true;
            }

            @Override
            public void close() {
                device.close();
                peer.close();
            }
        };
    }
}
