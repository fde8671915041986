package io.wirefx.daemon.run;

import io.wirefx.core.config.Config;
import io.wirefx.core.config.InetEndpoint;
import io.wirefx.core.config.Interface;
import io.wirefx.core.config.PeerConfig;
import io.wirefx.core.crypto.Key;
import io.wirefx.core.device.Peer;
import io.wirefx.daemon.uapi.UapiServer;
import io.wirefx.engine.EngineUapiDevice;
import io.wirefx.engine.WireGuardEngine;
import io.wirefx.warmup.WarmUp;
import io.wirefx.tun.TunEvent;
import io.wirefx.tun.TunEventListener;
import io.wirefx.platform.Platform;
import io.wirefx.tun.TunDevice;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Tunnels on the platform's TUN driver, driven by a {@link WireGuardEngine}, which also serves the UAPI socket
 * ({@code /var/run/wireguard/IF.sock} on Linux and macOS) like wireguard-go, so {@code wg show IF} and
 * {@code wg set IF} work while it runs (deleting the socket stops the tunnel, as with wireguard-go).
 */
public final class EngineTunnelFactory implements TunnelFactory {
    /** MTU the TUN device starts with when the configuration has none; the network configuration then sets it. */
    static final int INITIAL_MTU = 1420;

    private final Platform platform;
    private final boolean uapi;
    private final Path uapiDirectory;

    /** Serves UAPI where the platform's {@code wg(8)} looks. */
    public EngineTunnelFactory(Platform platform) {
        this(platform, true, platform.paths().uapiDir());
    }

    /**
     * @param uapi          whether each tunnel serves the UAPI endpoint
     * @param uapiDirectory the socket directory on platforms that use one (null: the platform's address)
     */
    public EngineTunnelFactory(Platform platform, boolean uapi, Path uapiDirectory) {
        this.platform = platform;
        this.uapi = uapi;
        this.uapiDirectory = uapiDirectory;
    }

    @Override
    public Optional<String> unavailabilityCause() {
        return platform.privilegeProblem().or(() -> platform.tunDriver().unavailabilityCause());
    }

    @Override
    public RunningTunnel start(String iface, Config config) throws IOException {
        TunDevice tun = platform.tunDriver().open(iface, config.iface().mtu().orElse(INITIAL_MTU));
        WireGuardEngine engine;
        try {
            engine = WireGuardEngine.builder(tun).build(); // owns tun from here
        } catch (RuntimeException e) {
            tun.close();
            throw e;
        }
        EngineTunnel tunnel = new EngineTunnel(engine, tun);
        try {
            engine.applyConfig(config);
            WarmUp.once(tun); // the first start in this JVM: compile the packet path before it carries packets
            engine.start();
            if (uapi) {
                String address = platform.endpoints().uapiAddress(uapiDirectory, tun.name());
                tunnel.uapi = UapiServer.open(platform.endpoints(), address, new EngineUapiDevice(engine),
                        new UapiServer.Listener() {
                            @Override
                            public void socketDeleted(Path socket) {
                                tunnel.stopped("UAPI socket " + socket + " deleted");
                            }
                        });
            }
        } catch (IOException | RuntimeException e) {
            tunnel.close();
            throw e;
        }
        return tunnel;
    }

    /** The engine as the network configuration and the run loop see it. */
    static final class EngineTunnel implements RunningTunnel {
        private final WireGuardEngine engine;
        private final TunDevice tun;
        private final AtomicBoolean closing = new AtomicBoolean();
        private final List<Consumer<String>> stopListeners = new CopyOnWriteArrayList<>();
        private final AtomicBoolean stopped = new AtomicBoolean();
        private volatile String stopReason;
        volatile UapiServer uapi;

        EngineTunnel(WireGuardEngine engine, TunDevice tun) {
            this.engine = engine;
            this.tun = tun;
            tun.addListener((TunEventListener) (d, e) -> {
                if (e instanceof TunEvent.DeviceRemoved r) {
                    stopped("interface " + tun.name() + " removed (" + r.detail() + ")");
                }
            });
            engine.terminated().thenRun(() -> stopped("the engine stopped"));
        }

        /** Reports a stop that the tunnel did not ask for, once. */
        void stopped(String why) {
            if (closing.get() || !stopped.compareAndSet(false, true)) {
                return;
            }
            stopReason = why; // before the listeners: one added meanwhile sees it (see onStopped)
            for (Consumer<String> l : stopListeners) {
                l.accept(why);
            }
        }

        @Override
        public String interfaceName() {
            return tun.name();
        }

        @Override
        public void setFwmark(long mark) throws IOException {
            engine.setFwmark((int) mark); // u32 in an int, as SO_MARK takes it
        }

        @Override
        public void bindToInterface(int ipv4IfIndex, int ipv6IfIndex) throws IOException {
            engine.bindToInterface(ipv4IfIndex, ipv6IfIndex);
        }

        @Override
        public List<InetAddress> endpointAddresses() {
            List<InetAddress> out = new ArrayList<>();
            for (Peer p : engine.peers()) {
                InetSocketAddress ep = p.endpoint();
                if (ep != null && ep.getAddress() != null) {
                    out.add(ep.getAddress());
                }
            }
            return out;
        }

        @Override
        public Optional<Config> currentConfig() {
            Key priv = engine.device().privateKey();
            if (priv == null) {
                return Optional.empty();
            }
            Interface.Builder ib = Interface.builder().privateKey(priv).listenPort(engine.listenPort());
            if (engine.fwmark() != 0) {
                ib.fwMark(Integer.toUnsignedLong(engine.fwmark()));
            }
            Config.Builder cb = Config.builder().iface(ib.build());
            for (Peer p : engine.peers()) {
                PeerConfig.Builder pb = PeerConfig.builder().publicKey(p.publicKey());
                Key psk = p.presharedKey();
                if (psk != null && !psk.isZero()) {
                    pb.presharedKey(psk);
                }
                pb.allowedIps(engine.allowedIps(p.publicKey()));
                InetSocketAddress ep = p.endpoint();
                if (ep != null && ep.getAddress() != null) {
                    pb.endpoint(InetEndpoint.of(ep.getAddress(), ep.getPort()));
                }
                if (p.persistentKeepalive() > 0) {
                    pb.persistentKeepalive(p.persistentKeepalive());
                }
                cb.addPeer(pb.build());
            }
            return Optional.of(cb.build());
        }

        @Override
        public java.util.OptionalInt listenPort() {
            int port = engine.listenPort();
            return port > 0 ? java.util.OptionalInt.of(port) : java.util.OptionalInt.empty();
        }

        @Override
        public java.util.OptionalInt mtu() {
            int mtu = tun.mtu();
            return mtu > 0 ? java.util.OptionalInt.of(mtu) : java.util.OptionalInt.empty();
        }

        @Override
        public List<PeerCounters> peerCounters() {
            List<PeerCounters> out = new ArrayList<>();
            for (Peer p : engine.peers()) {
                out.add(new PeerCounters(p.publicKey(), p.rxBytes(), p.txBytes(), p.lastHandshakeEpochNanos()));
            }
            return out;
        }

        @Override
        public void onStopped(Consumer<String> listener) {
            AtomicBoolean called = new AtomicBoolean();
            Consumer<String> once = why -> {
                if (called.compareAndSet(false, true)) {
                    listener.accept(why);
                }
            };
            stopListeners.add(once);
            if (!tun.isOpen()) {
                stopped("interface " + tun.name() + " is gone");
            }
            String why = stopReason;
            if (why != null) {
                once.accept(why); // it stopped before the listener was added
            }
        }

        @Override
        public void close() {
            closing.set(true);
            UapiServer u = uapi;
            if (u != null) {
                u.close();
            }
            engine.close();
        }
    }
}
