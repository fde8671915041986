package io.wirefx.tun.linux;

import io.wirefx.tun.TunDeviceContract;
import io.wirefx.tun.linux.testing.NetNs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The driver contract against a real /dev/net/tun interface inside a private network namespace (root only). */
@Tag("netns")
class LinuxTunContractTest extends TunDeviceContract {

    private static final LinuxTunDriver DRIVER = new LinuxTunDriver();
    private static NetNs ns;

    @BeforeAll
    static void createNamespace() throws Exception {
        assumeTrue(DRIVER.isAvailable(), () -> "Linux TUN unavailable: " + DRIVER.unavailabilityCause().orElse(""));
        assumeTrue(NetNs.unavailabilityCause().isEmpty(),
                () -> "network namespaces unavailable: " + NetNs.unavailabilityCause().orElse(""));
        ns = TestNamespaces.create();
    }

    @AfterAll
    static void deleteNamespace() {
        if (ns != null) {
            ns.close();
        }
    }

    @Override
    protected Harness openHarness() throws Exception {
        return NsTunHarness.open(ns, DRIVER);
    }
}
