package io.wirefx.tun.linux;

import io.wirefx.tun.linux.testing.NetNs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@Tag("netns")
class NetNsTest {

    @BeforeAll
    static void needsNamespaces() {
        assumeTrue(NetNs.unavailabilityCause().isEmpty(),
                () -> "network namespaces unavailable: " + NetNs.unavailabilityCause().orElse(""));
    }

    @Test
    void uniqueInterfaceNamesFitTheKernelLimit() {
        String a = NetNs.uniqueInterfaceName("wfx");
        String b = NetNs.uniqueInterfaceName("wfx");
        assertEquals(15, a.length());
        assertTrue(a.matches("wfx[0-9a-f]{12}"), a);
        assertNotEquals(a, b);
        assertThrows(IllegalArgumentException.class, () -> NetNs.uniqueInterfaceName("toolongprefix"));
        assertThrows(IllegalArgumentException.class, () -> NetNs.uniqueInterfaceName("Bad"));
    }

    @Test
    void runsCodeAndCommandsInsideAndDeletesTheNamespaceOnClose() throws Exception {
        String host = Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
        NetNs ns = NetNs.create();
        try {
            assertTrue(ns.name().matches("wfxtun-[0-9a-f]{8}"), ns.name());
            assertTrue(ns.exists());
            String inside = ns.runInside(() -> Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString());
            assertNotEquals(host, inside);
            assertEquals(inside, ns.runInside(
                    () -> Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString()), "same thread");
            String links = ns.ip("-o", "link", "show");
            assertTrue(links.contains("lo:") && links.lines().count() == 1, links);
            assertEquals(0, ns.exec("true").exitCode());
            assertEquals(3, ns.exec("sh", "-c", "exit 3").exitCode());
            assertThrows(IllegalStateException.class, () -> ns.runInside(() -> {
                throw new IllegalStateException("task failure propagates");
            }));
            assertEquals(inside, ns.runInside(
                    () -> Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString()), "still usable");
        } finally {
            ns.close();
        }
        assertFalse(ns.exists());
        assertFalse(ns.ipResult("link").exitCode() == 0, "namespace gone");
        assertThrows(IllegalStateException.class, () -> ns.runInside(() -> 1));
        ns.close(); // idempotent
    }
}
