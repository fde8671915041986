package io.wirefx.core.uapi;

import io.wirefx.core.net.IpPrefix;
import io.wirefx.core.crypto.Key;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * A {@link UapiDevice} in memory, behaving like wireguard-go's device for configuration purposes: peers in creation
 * order, allowed IPs that move between peers, the public key derived from the private key. It records every call in
 * {@link #calls} and can be told to fail a method with an errno.
 */
class InMemoryUapiDevice implements UapiDevice {

    static final class Peer {
        Optional<Key> presharedKey = Optional.empty();
        Optional<InetSocketAddress> endpoint = Optional.empty();
        int keepalive;
        long handshakeSec;
        int handshakeNanos;
        long rxBytes;
        long txBytes;
        final Set<IpPrefix> allowedIps = new LinkedHashSet<>();
    }

    Optional<Key> privateKey = Optional.empty();
    int listenPort;
    int fwmark;
    final Map<Key, Peer> peers = new LinkedHashMap<>();
    final List<String> calls = new ArrayList<>();
    final Map<String, Integer> failures = new HashMap<>();
    final Map<String, Integer> zones = new HashMap<>();

    Peer peer(Key key) {
        Peer p = peers.get(key);
        if (p == null) {
            throw new AssertionError("the session used a peer that does not exist");
        }
        return p;
    }

    private void call(String name, String detail) throws UapiException {
        calls.add(detail.isEmpty() ? name : name + " " + detail);
        Integer errno = failures.get(name);
        if (errno != null) {
            throw new UapiException(errno, name + " failed");
        }
    }

    private static String id(Key key) {
        return key.toHex().substring(0, 8);
    }

    @Override
    public DeviceState snapshot() {
        List<PeerState> list = new ArrayList<>();
        peers.forEach((key, p) -> list.add(new PeerState(key, p.presharedKey, p.endpoint, p.keepalive,
                p.handshakeSec, p.handshakeNanos, p.rxBytes, p.txBytes, List.copyOf(p.allowedIps))));
        return new DeviceState(privateKey, listenPort, fwmark, list);
    }

    @Override
    public Optional<Key> ownPublicKey() {
        return privateKey.map(k -> {
            byte[] pub = new byte[Key.LENGTH];
            X25519.generatePublicKey(k.bytes(), 0, pub, 0);
            return Key.fromBytes(pub);
        });
    }

    @Override
    public void setPrivateKey(Optional<Key> key) throws UapiException {
        call("setPrivateKey", key.isPresent() ? "set" : "none");
        privateKey = key;
        // As wireguard-go does: a peer with our own public key is dropped.
        ownPublicKey().ifPresent(peers::remove);
    }

    @Override
    public void setListenPort(int port) throws UapiException {
        call("setListenPort", Integer.toString(port));
        listenPort = port;
    }

    @Override
    public void setFwmark(int mark) throws UapiException {
        call("setFwmark", Integer.toUnsignedString(mark));
        fwmark = mark;
    }

    @Override
    public void removeAllPeers() throws UapiException {
        call("removeAllPeers", "");
        peers.clear();
    }

    @Override
    public boolean hasPeer(Key publicKey) {
        return peers.containsKey(publicKey);
    }

    @Override
    public void createPeer(Key publicKey) throws UapiException {
        call("createPeer", id(publicKey));
        if (peers.putIfAbsent(publicKey, new Peer()) != null) {
            throw new AssertionError("createPeer for an existing peer");
        }
    }

    @Override
    public void removePeer(Key publicKey) throws UapiException {
        call("removePeer", id(publicKey));
        peer(publicKey);
        peers.remove(publicKey);
    }

    @Override
    public void setPresharedKey(Key key, Optional<Key> psk) throws UapiException {
        call("setPresharedKey", id(key) + (psk.isPresent() ? " set" : " none"));
        peer(key).presharedKey = psk;
    }

    @Override
    public void setEndpoint(Key key, InetSocketAddress endpoint) throws UapiException {
        call("setEndpoint", id(key) + " " + UapiProtocol.formatEndpoint(endpoint).orElseThrow());
        peer(key).endpoint = Optional.of(endpoint);
    }

    @Override
    public void setPersistentKeepalive(Key key, int seconds) throws UapiException {
        call("setPersistentKeepalive", id(key) + " " + seconds);
        peer(key).keepalive = seconds;
    }

    @Override
    public void clearAllowedIps(Key key) throws UapiException {
        call("clearAllowedIps", id(key));
        peer(key).allowedIps.clear();
    }

    @Override
    public void addAllowedIp(Key key, IpPrefix ip) throws UapiException {
        call("addAllowedIp", id(key) + " " + ip);
        Peer p = peer(key);
        for (Peer other : peers.values()) {
            other.allowedIps.remove(ip);
        }
        p.allowedIps.add(ip);
    }

    @Override
    public void removeAllowedIp(Key key, IpPrefix ip) throws UapiException {
        call("removeAllowedIp", id(key) + " " + ip);
        peer(key).allowedIps.remove(ip);
    }

    @Override
    public void peerConfigured(Key key) {
        calls.add("peerConfigured " + id(key));
        peer(key);
    }

    @Override
    public OptionalInt zoneIndex(String zone) {
        Integer index = zones.get(zone);
        return index == null ? OptionalInt.empty() : OptionalInt.of(index);
    }
}
