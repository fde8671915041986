package io.wirefx.platform.macos;

import io.wirefx.core.config.Config;
import io.wirefx.platform.CommandRunner;
import io.wirefx.platform.ProcessCommandRunner;
import io.wirefx.platform.TunnelControl;
import io.wirefx.platform.TunnelNetwork;
import io.wirefx.platform.TunnelNetworkSpec;
import io.wirefx.tun.macos.UtunDevice;
import io.wirefx.tun.macos.UtunDriver;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The configurator on a real Mac, as root (the CI workflow runs it with sudo): a real utun, two non-default routes
 * and one DNS change for the lifetime of the test tunnel, all undone by {@code down()}. Never touches the default
 * route (no 0.0.0.0/0 or ::/0 in the config, so no endpoint routes either).
 */
@Tag("macos")
@EnabledOnOs(OS.MAC)
class RealMacNetworkTest {

    @TempDir
    Path stateDir;

    private final CommandRunner runner = new ProcessCommandRunner();

    @Test
    void routesAndDnsComeAndGoWithTheTunnel() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        Config config = DarwinPlanTest.config("""
                Address = 10.199.7.2/24
                DNS = 10.199.7.53, ci.wirefx.test
                """, """
                AllowedIPs = 10.199.8.0/24, 10.199.9.0/24
                """);
        String service = new DarwinState(runner).networkServices().getFirst();
        List<String> dnsBefore = runner.run(List.of("networksetup", "-getdnsservers", service)).stdout().lines().toList();
        try (UtunDevice tun = new UtunDriver().open("utun", 1420)) {
            String utun = tun.name();
            TunnelNetwork net = new MacNetworkSetup(runner).forTunnel(new TunnelNetworkSpec("ci", "utun", config,
                    stateDir, Optional.empty(), System.err::println));
            try {
                net.prepare();
                net.interfaceOpened(utun);
                net.up(new TunnelControl() {
                    @Override
                    public String interfaceName() {
                        return utun;
                    }

                    @Override
                    public void setFwmark(long mark) {
                    }

                    @Override
                    public List<InetAddress> endpointAddresses() {
                        return List.of();
                    }
                });
                assertEquals(Optional.of(utun), new DarwinState(runner).routeInterface(false, "10.199.8.77"));
                assertEquals(Optional.of(utun), new DarwinState(runner).routeInterface(false, "10.199.9.1"));
                assertEquals(List.of("10.199.7.53"),
                        runner.run(List.of("networksetup", "-getdnsservers", service)).stdout().lines().toList());
                assertTrue(runner.run(List.of("ifconfig", utun)).stdout().contains("inet 10.199.7.2 "));
            } finally {
                assertEquals(List.of(), net.down());
                net.close();
            }
            assertFalse(new DarwinState(runner).routeInterface(false, "10.199.8.77").filter(utun::equals).isPresent());
            assertEquals(dnsBefore,
                    runner.run(List.of("networksetup", "-getdnsservers", service)).stdout().lines().toList(),
                    "DNS restored");
        }
    }
}
