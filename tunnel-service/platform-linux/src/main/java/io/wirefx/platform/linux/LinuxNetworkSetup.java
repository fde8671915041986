package io.wirefx.platform.linux;

import io.wirefx.core.config.Config;
import io.wirefx.platform.CommandRunner;
import io.wirefx.platform.NetconfigException;
import io.wirefx.platform.NetworkSetup;
import io.wirefx.platform.PlanOptions;
import io.wirefx.platform.PlanRunner;
import io.wirefx.platform.PlanWorkspace;
import io.wirefx.platform.PlannedTunnel;
import io.wirefx.platform.TunnelNetwork;
import io.wirefx.platform.TunnelNetworkSpec;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** wg-quick's Linux semantics through iproute2 and nftables ({@link LinuxNetworkConfigurator}). */
final class LinuxNetworkSetup implements NetworkSetup {
    private final CommandRunner runner;

    LinuxNetworkSetup(CommandRunner runner) {
        this.runner = runner;
    }

    @Override
    public TunnelNetwork forTunnel(TunnelNetworkSpec spec) {
        NetconfigOptions o = NetconfigOptions.defaults().withStateDir(spec.stateDir()).withLog(spec.log())
                .withPolicy(spec.policy());
        if (spec.configFile().isPresent()) {
            o = o.withConfigFile(spec.configFile().get());
        }
        return new LinuxNetworkConfigurator(spec.interfaceName(), spec.config(), runner, o);
    }

    @Override
    public List<String> cleanUpStale(Path stateDir, Consumer<String> log) {
        List<String> ifaces = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(stateDir, "*" + Journal.SUFFIX)) {
            for (Path p : ds) {
                String f = p.getFileName().toString();
                String iface = f.substring(0, f.length() - Journal.SUFFIX.length());
                if (Config.isValidInterfaceName(iface)) {
                    ifaces.add(iface);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            return List.of("cannot list " + stateDir + ": " + e.getMessage());
        }
        List<String> out = new ArrayList<>();
        NetconfigOptions o = NetconfigOptions.defaults().withStateDir(stateDir).withLog(log);
        for (String iface : ifaces) {
            try {
                LinuxNetworkConfigurator.undoStale(iface, runner, o);
                out.add(iface + ": cleaned up after an unclean shutdown");
            } catch (NetconfigException e) {
                out.add(iface + ": stale state not cleaned up: " + e.getMessage());
            }
        }
        return out;
    }

    /**
     * Runs the real configurator with a {@link PlanRunner}: queries ({@code ip ... show}, {@code ip route get},
     * {@code readlink}) read this host, every change is printed. Its journal goes to a temporary directory.
     */
    @Override
    public void plan(Config config, PlanOptions options, Consumer<String> out) throws NetconfigException {
        String iface = options.interfaceName();
        try (PlanWorkspace tmp = PlanWorkspace.create();
             LinuxNetworkConfigurator net = new LinuxNetworkConfigurator(iface, config,
                     new PlanRunner(options.runner(), out),
                     NetconfigOptions.defaults().withStateDir(tmp.dir()).withLog(line -> { })
                             .withPolicy(options.policy()))) {
            net.prepare();
            out.accept("# open /dev/net/tun: ioctl TUNSETIFF " + iface + " (IFF_TUN | IFF_NO_PI)");
            net.interfaceOpened(iface);
            net.up(PlannedTunnel.of(iface, config, out));
        }
    }
}
