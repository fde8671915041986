package io.wirefx.platform.linux;

import io.wirefx.core.config.Config;
import io.wirefx.core.config.InetEndpoint;
import io.wirefx.core.config.Peer;
import io.wirefx.platform.CommandRunner;
import io.wirefx.platform.NetconfigException;
import io.wirefx.platform.NetworkSetup;
import io.wirefx.platform.PlanOptions;
import io.wirefx.platform.PlanRunner;
import io.wirefx.platform.TunnelControl;
import io.wirefx.platform.TunnelNetwork;
import io.wirefx.platform.TunnelNetworkSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** wg-quick's Linux semantics through iproute2 and nftables ({@link LinuxNetworkConfigurator}). */
final class LinuxNetworkSetup implements NetworkSetup {
    private final CommandRunner runner;

    LinuxNetworkSetup(CommandRunner runner) {
        this.runner = runner;
    }

    @Override
    public TunnelNetwork forTunnel(TunnelNetworkSpec spec) {
        NetconfigOptions o = NetconfigOptions.defaults().withStateDir(spec.stateDir()).withLog(spec.log());
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
        Path tmp;
        try {
            tmp = Files.createTempDirectory("wirefx-plan");
        } catch (IOException e) {
            throw new NetconfigException(NetconfigException.Kind.PRECONDITION, "cannot create a temporary directory: "
                    + e.getMessage(), e);
        }
        String iface = options.interfaceName();
        NetconfigOptions o = NetconfigOptions.defaults().withStateDir(tmp).withLog(line -> { });
        try (LinuxNetworkConfigurator net = new LinuxNetworkConfigurator(iface, config,
                new PlanRunner(options.runner(), out), o)) {
            net.prepare();
            out.accept("# open /dev/net/tun: ioctl TUNSETIFF " + iface + " (IFF_TUN | IFF_NO_PI)");
            net.interfaceOpened(iface);
            net.up(new PlannedTunnel(iface, config, out));
        } finally {
            deleteTree(tmp);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // a temporary directory; the OS cleans it eventually
        }
    }

    /** The endpoint's address as the engine would resolve it; empty if it cannot be resolved now. */
    private static Optional<InetAddress> resolve(InetEndpoint e) {
        Optional<InetAddress> literal = e.literalAddress();
        if (literal.isPresent()) {
            return literal;
        }
        try {
            return Optional.of(InetAddress.getByName(e.host()));
        } catch (UnknownHostException ex) {
            return Optional.empty();
        }
    }

    /** The tunnel as a plan sees it: endpoints from the configuration, the fwmark printed. */
    private record PlannedTunnel(String interfaceName, Config config, Consumer<String> out) implements TunnelControl {
        @Override
        public void setFwmark(long mark) {
            out.accept("# setsockopt SO_MARK " + mark + " on the tunnel's UDP sockets (wg set " + interfaceName
                    + " fwmark " + mark + ")");
        }

        @Override
        public List<InetAddress> endpointAddresses() {
            List<InetAddress> out = new ArrayList<>();
            for (Peer p : config.peers()) {
                p.endpoint().ifPresent(e -> resolve(e).ifPresent(out::add));
            }
            return out;
        }
    }
}
