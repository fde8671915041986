package io.wirefx.daemon.run;

import io.wirefx.core.config.Config;
import io.wirefx.core.config.InetEndpoint;
import io.wirefx.core.config.InetNetwork;
import io.wirefx.core.config.Interface;
import io.wirefx.core.config.Peer;
import io.wirefx.core.crypto.Key;
import io.wirefx.core.routing.Prefix;
import io.wirefx.engine.WireGuardEngine;
import io.wirefx.tun.TunEvent;
import io.wirefx.tun.TunEventListener;
import io.wirefx.tun.linux.LinuxTunDevice;
import io.wirefx.tun.linux.LinuxTunDriver;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/** Tunnels on Linux: a {@link LinuxTunDriver} interface driven by a {@link WireGuardEngine}. */
public final class EngineTunnelFactory implements TunnelFactory {
    /** MTU the TUN device starts with when the configuration has none; the network configuration then sets it. */
    static final int INITIAL_MTU = 1420;

    private final LinuxTunDriver driver = new LinuxTunDriver();

    @Override
    public Optional<String> unavailabilityCause() {
        return RunCommand.privilegeProblem().or(driver::unavailabilityCause);
    }

    @Override
    public RunningTunnel start(String iface, Config config) throws IOException {
        LinuxTunDevice tun = driver.open(iface, config.iface().mtu().orElse(INITIAL_MTU));
        if (!tun.name().equals(iface)) {
            tun.close();
            throw new IOException("the kernel named the interface " + tun.name() + ", not " + iface);
        }
        WireGuardEngine engine;
        try {
            engine = WireGuardEngine.builder(tun).build(); // owns tun from here
        } catch (RuntimeException e) {
            tun.close();
            throw e;
        }
        try {
            engine.applyConfig(config);
            engine.start();
        } catch (IOException | RuntimeException e) {
            engine.close();
            throw e;
        }
        return new EngineTunnel(engine, tun);
    }

    /** The engine as the network configuration and the run loop see it. */
    static final class EngineTunnel implements RunningTunnel {
        private final WireGuardEngine engine;
        private final LinuxTunDevice tun;
        private final AtomicBoolean closing = new AtomicBoolean();

        EngineTunnel(WireGuardEngine engine, LinuxTunDevice tun) {
            this.engine = engine;
            this.tun = tun;
        }

        @Override
        public void setFwmark(long mark) throws IOException {
            engine.setFwmark((int) mark); // u32 in an int, as SO_MARK takes it
        }

        @Override
        public List<InetAddress> endpointAddresses() {
            List<InetAddress> out = new ArrayList<>();
            for (io.wirefx.core.device.Peer p : engine.peers()) {
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
            for (io.wirefx.core.device.Peer p : engine.peers()) {
                Peer.Builder pb = Peer.builder().publicKey(p.publicKey());
                Key psk = p.presharedKey();
                if (psk != null && !psk.isZero()) {
                    pb.presharedKey(psk);
                }
                for (Prefix x : engine.allowedIps(p.publicKey())) {
                    try {
                        pb.addAllowedIp(InetNetwork.of(InetAddress.getByAddress(x.address()), x.length()));
                    } catch (UnknownHostException e) {
                        throw new IllegalStateException(e); // cannot happen for 4 or 16 bytes
                    }
                }
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
        public void onStopped(Consumer<String> listener) {
            AtomicBoolean fired = new AtomicBoolean();
            TunEventListener l = (d, e) -> {
                if (e instanceof TunEvent.DeviceRemoved r && !closing.get() && fired.compareAndSet(false, true)) {
                    listener.accept("interface " + tun.name() + " removed (" + r.detail() + ")");
                }
            };
            tun.addListener(l);
            if (!tun.isOpen() && !closing.get() && fired.compareAndSet(false, true)) {
                listener.accept("interface " + tun.name() + " is gone");
            }
        }

        @Override
        public void close() {
            closing.set(true);
            engine.close();
        }
    }
}
