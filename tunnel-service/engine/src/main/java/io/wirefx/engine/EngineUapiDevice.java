package io.wirefx.engine;

import io.wirefx.core.crypto.Key;
import io.wirefx.core.device.Peer;
import io.wirefx.core.net.IpPrefix;
import io.wirefx.core.uapi.DeviceState;
import io.wirefx.core.uapi.PeerState;
import io.wirefx.core.uapi.UapiDevice;
import io.wirefx.core.uapi.UapiException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The UAPI view of a {@link WireGuardEngine}, for {@link io.wirefx.core.uapi.UapiSession}: what lets stock
 * {@code wg} read and configure the engine through the daemon's UAPI socket. Thread-safe: several sessions may use it
 * at once while the engine runs (each setter is one thread-safe engine call).
 *
 * <ul>
 *   <li>{@code listen_port}: rebinds; a taken port fails with EADDRINUSE (-98) and keeps the old binding. {@code get}
 *       reports the port actually bound.</li>
 *   <li>{@code fwmark}: {@code SO_MARK} on the sockets; any failure (no CAP_NET_ADMIN, portable bind) is EADDRINUSE,
 *       as in wireguard-go.</li>
 *   <li>{@code persistent_keepalive_interval}: switching it on sends a keepalive at once, as soon as the peer has an
 *       endpoint (at the latest when its block ends).</li>
 *   <li>{@code last_handshake_time_*}: from the core's wall-clock handshake time.</li>
 * </ul>
 */
public final class EngineUapiDevice implements UapiDevice {
    private final WireGuardEngine engine;
    /** Peers whose keepalive was switched on while they had no endpoint: sent when their block ends. */
    private final Set<Key> keepalivePending = ConcurrentHashMap.newKeySet();

    public EngineUapiDevice(WireGuardEngine engine) {
        this.engine = engine;
    }

    @Override
    public DeviceState snapshot() {
        List<PeerState> peers = new ArrayList<>();
        for (Peer p : engine.peers()) {
            long hs = p.lastHandshakeEpochNanos();
            List<IpPrefix> ips = engine.device().allowedIps().prefixesOf(p);
            peers.add(new PeerState(p.publicKey(), Optional.ofNullable(p.presharedKey()),
                    Optional.ofNullable(p.endpoint()), p.persistentKeepalive(),
                    Math.floorDiv(hs, 1_000_000_000L), (int) Math.floorMod(hs, 1_000_000_000L),
                    p.rxBytes(), p.txBytes(), ips));
        }
        return new DeviceState(Optional.ofNullable(engine.device().privateKey()), engine.listenPort(),
                engine.fwmark(), peers);
    }

    @Override
    public Optional<Key> ownPublicKey() {
        return engine.publicKey();
    }

    @Override
    public void setPrivateKey(Optional<Key> privateKey) {
        engine.setPrivateKey(privateKey.orElse(null));
    }

    @Override
    public void setListenPort(int port) throws UapiException {
        try {
            engine.setListenPort(port);
        } catch (IOException e) {
            throw new UapiException(UapiException.EADDRINUSE, "cannot bind UDP port " + port + ": " + e.getMessage());
        }
    }

    @Override
    public void setFwmark(int fwmark) throws UapiException {
        try {
            engine.setFwmark(fwmark);
        } catch (IOException e) {
            throw new UapiException(UapiException.EADDRINUSE, "cannot set fwmark: " + e.getMessage());
        }
    }

    @Override
    public void removeAllPeers() {
        engine.removeAllPeers();
    }

    @Override
    public boolean hasPeer(Key publicKey) {
        return engine.peer(publicKey).isPresent();
    }

    @Override
    public void createPeer(Key publicKey) {
        engine.addPeer(publicKey);
    }

    @Override
    public void removePeer(Key publicKey) {
        keepalivePending.remove(publicKey);
        engine.removePeer(publicKey);
    }

    @Override
    public void setPresharedKey(Key peer, Optional<Key> presharedKey) throws UapiException {
        require(engine.setPresharedKey(peer, presharedKey.orElse(null)));
    }

    @Override
    public void setEndpoint(Key peer, InetSocketAddress endpoint) throws UapiException {
        require(engine.setEndpoint(peer, endpoint));
    }

    @Override
    public void setPersistentKeepalive(Key peer, int seconds) throws UapiException {
        Peer p = engine.peer(peer).orElse(null);
        require(p != null);
        boolean turnsOn = p.persistentKeepalive() == 0 && seconds > 0;
        require(engine.setPersistentKeepalive(peer, seconds));
        if (turnsOn && p.endpoint() == null) {
            keepalivePending.add(peer);
        } else if (seconds == 0) {
            keepalivePending.remove(peer);
        }
    }

    @Override
    public void peerConfigured(Key peer) {
        if (keepalivePending.remove(peer)) {
            engine.peer(peer).filter(p -> p.endpoint() != null).ifPresent(p -> engine.sendKeepaliveNow(peer));
        }
    }

    @Override
    public void clearAllowedIps(Key peer) throws UapiException {
        require(engine.clearAllowedIps(peer));
    }

    @Override
    public void addAllowedIp(Key peer, IpPrefix allowedIp) throws UapiException {
        require(engine.addAllowedIp(peer, allowedIp));
    }

    @Override
    public void removeAllowedIp(Key peer, IpPrefix allowedIp) throws UapiException {
        require(engine.peer(peer).isPresent());
        engine.removeAllowedIp(peer, allowedIp);
    }

    @Override
    public OptionalInt zoneIndex(String zone) {
        try {
            NetworkInterface ni = NetworkInterface.getByName(zone);
            return ni == null ? OptionalInt.empty() : OptionalInt.of(ni.getIndex());
        } catch (SocketException e) {
            return OptionalInt.empty();
        }
    }

    /** A peer vanished between the session's check and the call (another connection removed it). */
    private static void require(boolean peerExists) throws UapiException {
        if (!peerExists) {
            throw new UapiException(UapiException.EINVAL, "no such peer (removed concurrently)");
        }
    }
}
