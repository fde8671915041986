package io.wirefx.daemon.uapi;

import io.wirefx.core.crypto.Key;
import io.wirefx.core.net.IpPrefix;
import io.wirefx.core.uapi.DeviceState;
import io.wirefx.core.uapi.PeerState;
import io.wirefx.core.uapi.UapiDevice;
import io.wirefx.core.uapi.UapiException;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A thread-safe in-memory {@link UapiDevice}: enough state for the server tests (no crypto, no sockets). */
public final class FakeUapiDevice implements UapiDevice {

    private static final class Peer {
        Optional<Key> psk = Optional.empty();
        Optional<InetSocketAddress> endpoint = Optional.empty();
        int keepalive;
        final Set<IpPrefix> allowed = new LinkedHashSet<>();
    }

    private Optional<Key> privateKey = Optional.empty();
    private int listenPort;
    private int fwmark;
    private final Map<Key, Peer> peers = new LinkedHashMap<>();

    @Override
    public synchronized DeviceState snapshot() {
        List<PeerState> list = new ArrayList<>();
        peers.forEach((k, p) -> list.add(new PeerState(k, p.psk, p.endpoint, p.keepalive, 0, 0, 0, 0,
                List.copyOf(p.allowed))));
        return new DeviceState(privateKey, listenPort, fwmark, list);
    }

    @Override
    public synchronized Optional<Key> ownPublicKey() {
        return Optional.empty();
    }

    @Override
    public synchronized void setPrivateKey(Optional<Key> key) {
        privateKey = key;
    }

    @Override
    public synchronized void setListenPort(int port) throws UapiException {
        if (port == 9) {
            throw new UapiException(UapiException.EADDRINUSE, "port 9 is taken");
        }
        listenPort = port;
    }

    @Override
    public synchronized void setFwmark(int mark) {
        fwmark = mark;
    }

    @Override
    public synchronized void removeAllPeers() {
        peers.clear();
    }

    @Override
    public synchronized boolean hasPeer(Key k) {
        return peers.containsKey(k);
    }

    @Override
    public synchronized void createPeer(Key k) {
        peers.put(k, new Peer());
    }

    @Override
    public synchronized void removePeer(Key k) {
        peers.remove(k);
    }

    @Override
    public synchronized void setPresharedKey(Key k, Optional<Key> psk) {
        peers.get(k).psk = psk;
    }

    @Override
    public synchronized void setEndpoint(Key k, InetSocketAddress e) {
        peers.get(k).endpoint = Optional.of(e);
    }

    @Override
    public synchronized void setPersistentKeepalive(Key k, int s) {
        peers.get(k).keepalive = s;
    }

    @Override
    public synchronized void clearAllowedIps(Key k) {
        peers.get(k).allowed.clear();
    }

    @Override
    public synchronized void addAllowedIp(Key k, IpPrefix ip) {
        peers.values().forEach(p -> p.allowed.remove(ip));
        peers.get(k).allowed.add(ip);
    }

    @Override
    public synchronized void removeAllowedIp(Key k, IpPrefix ip) {
        peers.get(k).allowed.remove(ip);
    }
}
