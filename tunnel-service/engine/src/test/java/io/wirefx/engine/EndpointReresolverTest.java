package io.wirefx.engine;

import io.wirefx.core.config.InetEndpoint;
import io.wirefx.core.crypto.Key;
import io.wirefx.core.crypto.KeyPair;
import io.wirefx.core.timers.Timings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * {@link EndpointReresolver}'s decisions with standard timings, its clock driven by the test: the name is
 * {@code localhost} (from {@code /etc/hosts}, no DNS needed), and each peer's current endpoint is somewhere else, as
 * after roaming or a {@code wg set}. A peer that never showed a sign of life gets the name's address once 135 s have
 * passed, not before; a peer that just completed a handshake keeps its endpoint however late the check.
 */
@Timeout(60)
class EndpointReresolverTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void aSilentPeerGetsTheNamesAddressAfter135SecondsAPeerJustHeardFromKeepsItsEndpoint() throws Exception {
        try (EnginePair p = EnginePair.start()) {
            Key live = p.keysB.publicKey();
            byte[] ping = Icmp.echoRequest4(EnginePair.A4, EnginePair.B4, 1, 1, new byte[16]);
            assertNotNull(EnginePair.roundTrip(p.tunA, p.tunB, ping, 5000), "handshake and one packet A to B");
            InetSocketAddress liveEndpoint = p.a.peer(live).orElseThrow().endpoint();

            Key silent = KeyPair.generate(new SecureRandom()).publicKey();
            p.a.addPeer(silent);
            InetSocketAddress elsewhere = new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 51820);
            p.a.setEndpoint(silent, elsewhere);

            EndpointReresolver r = new EndpointReresolver(p.a, Timings.STANDARD);
            assertEquals(135, r.staleAfter().toSeconds());
            assertEquals(30, r.retryPeriod().toSeconds());
            long t0 = System.nanoTime();
            r.watch(Map.of(live, InetEndpoint.of("localhost", 9), silent, InetEndpoint.of("localhost", 51820)));
            InetSocketAddress named = EndpointReresolver.resolve(InetEndpoint.of("localhost", 51820));

            r.checkOnce(t0 + 134 * SECOND);
            assertEquals(elsewhere, p.a.peer(silent).orElseThrow().endpoint(), "not yet stale at 134 s");
            r.checkOnce(t0 + 136 * SECOND);
            assertEquals(named, p.a.peer(silent).orElseThrow().endpoint(), "the name's address after 135 s");

            r.checkOnce(t0 + 1000 * SECOND);
            assertEquals(liveEndpoint, p.a.peer(live).orElseThrow().endpoint(),
                    "a peer whose handshake is recent keeps its endpoint");
            r.close();
        }
    }
}
