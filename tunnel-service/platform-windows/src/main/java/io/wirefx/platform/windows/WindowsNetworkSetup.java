package io.wirefx.platform.windows;

import io.wirefx.core.config.Config;
import io.wirefx.platform.NetconfigException;
import io.wirefx.platform.NetworkSetup;
import io.wirefx.platform.PlanOptions;
import io.wirefx.platform.TunnelControl;
import io.wirefx.platform.TunnelNetwork;
import io.wirefx.platform.TunnelNetworkSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Windows network setup: IP Helper configuration ({@link WindowsNetworkConfigurator}) and, for a full tunnel, the kill
 * switch ({@link KillSwitch}) when the tunnel's {@link io.wirefx.platform.TrafficPolicy} asks for it (the per-tunnel
 * "block untunneled traffic" setting, as wireguard-windows offers it for a single {@code /0} peer). The native sides come from suppliers so that nothing native loads before it is used (and the plan
 * runs on any OS).
 */
public final class WindowsNetworkSetup implements NetworkSetup {

    /**
     * Choices of this setup.
     *
     * @param serviceExecutable the service's executable (its WFP AppId)
     */
    public record Options(String serviceExecutable) {
    }

    private final Supplier<NetworkApi> network;
    private final Supplier<WfpApi> wfp;
    private final Options options;
    private final Optional<NetworkApi> planReader;

    public WindowsNetworkSetup(Supplier<NetworkApi> network, Supplier<WfpApi> wfp, Options options,
                               Optional<NetworkApi> planReader) {
        this.network = network;
        this.wfp = wfp;
        this.options = options;
        this.planReader = planReader;
    }

    @Override
    public TunnelNetwork forTunnel(TunnelNetworkSpec spec) {
        return new Tunnel(spec);
    }

    @Override
    public List<String> cleanUpStale(Path stateDir, Consumer<String> log) {
        List<String> out = new ArrayList<>();
        for (String j : new WindowsNetworkConfigurator(network.get(), stateDir, log).cleanUpStale()) {
            out.add(j + ": cleaned up after an unclean shutdown");
        }
        return out;
    }

    @Override
    public void plan(Config config, PlanOptions planOptions, Consumer<String> out) {
        WindowsPlan.print(planOptions.tunnelName(), config,
                new WindowsPlan.Options(planOptions.policy().blockUntunneled(), planOptions.policy().allowLan()), planReader, out);
    }

    /** One tunnel's network state on Windows. */
    private final class Tunnel implements TunnelNetwork {
        private final TunnelNetworkSpec spec;
        private final WindowsTunnelSpec windowsSpec;
        private final WindowsNetworkConfigurator configurator;
        private long luid;
        private WindowsNetworkConfigurator.Applied applied;
        private KillSwitch killSwitch;
        private DefaultInterfaceBinder binder;
        private java.util.concurrent.ExecutorService pinThread;

        Tunnel(TunnelNetworkSpec spec) {
            this.spec = spec;
            this.windowsSpec = WindowsTunnelSpec.from(spec.tunnelName(), spec.config());
            this.configurator = new WindowsNetworkConfigurator(network.get(), spec.stateDir(), spec.log());
        }

        @Override
        public void prepare() throws NetconfigException {
            if (windowsSpec.addresses().isEmpty()) {
                throw new NetconfigException(NetconfigException.Kind.PRECONDITION,
                        "the tunnel has no Address: Windows needs one on the adapter");
            }
        }

        @Override
        public void interfaceOpened(String interfaceName) throws NetconfigException {
            try {
                luid = network.get().luidOf(interfaceName);
            } catch (WindowsException e) {
                throw new NetconfigException(NetconfigException.Kind.PRECONDITION, e.getMessage(), e);
            }
        }

        @Override
        public void up(TunnelControl tunnel) throws NetconfigException {
            try {
                if (windowsSpec.fullTunnel()) {
                    pinToDefaultInterface(tunnel);
                }
                applied = configurator.up(windowsSpec, luid);
                if (spec.policy().blockUntunneled() && windowsSpec.fullTunnel()) {
                    killSwitch = KillSwitch.install(wfp.get(), spec.tunnelName(), KillSwitchRules.compute(
                            new KillSwitchRules.Params(luid, options.serviceExecutable(),
                                    ServiceSid.of(WindowsService.SERVICE_NAME), windowsSpec.dnsServers(),
                                    spec.policy().allowLan())), spec.log());
                }
            } catch (java.io.IOException e) {
                List<String> undone = down();
                undone.forEach(p -> spec.log().accept("undo after failed up: " + p));
                throw new NetconfigException(NetconfigException.Kind.SETUP_FAILED, e.getMessage(), e);
            }
        }

        /**
         * Pins the tunnel's UDP sockets to the physical default interface before the {@code /0} routes exist, and
         * re-pins on every default-route change until down ({@link DefaultInterfaceBinder}).
         */
        private void pinToDefaultInterface(TunnelControl tunnel) throws java.io.IOException {
            pinThread = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "wirefx-pin-" + spec.tunnelName());
                t.setDaemon(true);
                return t;
            });
            binder = new DefaultInterfaceBinder(network.get(), luid, (family, index) -> {
                try {
                    tunnel.bindToInterface(family == Family.IPV4 ? index : 0, family == Family.IPV6 ? index : 0);
                } catch (UnsupportedOperationException e) {
                    throw new java.io.IOException("full tunnel without routing loops needs the UDP socket pin: "
                            + e.getMessage(), e);
                }
            }, pinThread, spec.log());
            binder.start();
        }

        @Override
        public synchronized List<String> down() {
            List<String> problems = new ArrayList<>();
            if (binder != null) {
                try {
                    binder.close();
                } catch (Exception e) {
                    problems.add("route-change notification: " + e.getMessage());
                }
                binder = null;
            }
            if (pinThread != null) {
                pinThread.shutdownNow();
                pinThread = null;
            }
            if (killSwitch != null) {
                try {
                    killSwitch.close();
                } catch (WindowsException e) {
                    problems.add("kill switch: " + e.getMessage());
                }
                killSwitch = null;
            }
            if (applied != null) {
                problems.addAll(applied.down());
                applied = null;
            }
            return problems;
        }

        @Override
        public String journalLocation() {
            return configurator.journalFile(windowsSpec.tunnelName()).toString();
        }

        @Override
        public String upNote() {
            return killSwitch == null ? "" : "untunneled traffic blocked (" + killSwitch.filters().size()
                    + " WFP filters)";
        }

        @Override
        public void close() {
            down();
        }
    }
}
