package io.wirefx.engine;

import io.wirefx.core.crypto.KeyPair;
import io.wirefx.core.net.IpPrefix;
import io.wirefx.engine.bind.NioUdpBind;
import io.wirefx.tun.PacketBatch;
import io.wirefx.tun.TunDevice;
import io.wirefx.tun.memory.MemoryTun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The receive path sends the kernel's answer itself when the kernel queued it during the TUN write (as Linux does
 * for an echo request to a local address): {@link SendPath#pumpQueued}. Here B's device answers echo requests inside
 * {@code write}, like a kernel.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReplyFromReceiverTest {
    private static final int PINGS = 20;

    @Test
    void answersQueuedDuringTheWriteLeaveFromTheReceiverThread() throws Exception {
        long byReceiver = pingThroughEchoingPeer(true);
        assertTrue(byReceiver > 0, "no answer was read by the receive path: " + byReceiver);
        assertTrue(byReceiver <= PINGS, "each answer read once: " + byReceiver);
    }

    @Test
    void withoutInlineStagesTheTunReaderSendsEveryAnswer() throws Exception {
        assertEquals(0, pingThroughEchoingPeer(false));
    }

    /** Pings B from A; returns how many answers B's receive path read from its TUN device. */
    private static long pingThroughEchoingPeer(boolean inline) throws Exception {
        Random rnd = new Random(7);
        KeyPair ka = KeyPair.generate(rnd);
        KeyPair kb = KeyPair.generate(rnd);
        MemoryTun tunA = new MemoryTun("tunA", EnginePair.MTU);
        EchoingTun tunB = new EchoingTun(new MemoryTun("tunB", EnginePair.MTU));
        WireGuardEngine a = engine(tunA, ka, inline, 1);
        WireGuardEngine b = engine(tunB, kb, inline, 2);
        try {
            a.start();
            b.start();
            InetAddress lo = InetAddress.getLoopbackAddress();
            a.addPeer(kb.publicKey());
            a.addAllowedIp(kb.publicKey(), IpPrefix.parse(EnginePair.B4 + "/32"));
            a.setEndpoint(kb.publicKey(), new InetSocketAddress(lo, b.listenPort()));
            b.addPeer(ka.publicKey());
            b.addAllowedIp(ka.publicKey(), IpPrefix.parse(EnginePair.A4 + "/32"));
            byte[] data = Packets.payload(3, 1, 56);
            for (int seq = 1; seq <= PINGS; seq++) {
                byte[] request = Icmp.echoRequest4(EnginePair.A4, EnginePair.B4, 0x42, seq, data);
                assertTrue(tunA.inject(request));
                byte[] reply = tunA.takeWritten(10, TimeUnit.SECONDS);
                assertNotNull(reply, "no reply to ping " + seq);
                assertEquals(0, Icmp.type(reply));
                assertArrayEquals(Arrays.copyOfRange(request, 24, request.length),
                        Arrays.copyOfRange(reply, 24, reply.length), "id, seq and data of ping " + seq);
                Thread.sleep(5); // an idle gap, as between pings: the receive path completes inline
            }
            EngineStats s = b.stats();
            assertEquals(PINGS, s.get(EngineStats.Counter.TUN_PACKETS_READ), "every answer read once");
            return s.get(EngineStats.Counter.TUN_PACKETS_READ_BY_RECEIVER);
        } finally {
            a.close();
            b.close();
        }
    }

    private static WireGuardEngine engine(TunDevice tun, KeyPair keys, boolean inline, long seed) {
        return WireGuardEngine.builder(tun)
                .privateKey(keys.privateKey())
                .random(new Random(seed))
                .bindFactory(NioUdpBind::open)
                .inlineWhenIdle(inline)
                .threadNamePrefix("reply-" + seed + "-")
                .build();
    }

    /** A device whose "kernel" answers each echo request written to it before {@code write} returns. */
    private static final class EchoingTun extends DelegatingTun {
        EchoingTun(MemoryTun tun) {
            super(tun);
        }

        @Override
        public int write(PacketBatch batch) throws IOException {
            int n = tun.write(batch);
            byte[] p;
            while ((p = tun.pollWritten()) != null) {
                if (Icmp.type(p) == 8) {
                    tun.inject(Icmp.echoReplyTo(p));
                }
            }
            return n;
        }
    }
}
