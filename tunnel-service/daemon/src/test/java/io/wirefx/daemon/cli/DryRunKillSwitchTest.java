package io.wirefx.daemon.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code wirefx run --dry-run --platform linux --block-untunneled [--allow-lan]}: the plan shows the kill switch's nft
 * table after the full tunnel's routes. Reads this host's routes (read-only), changes nothing.
 */
class DryRunKillSwitchTest {
    @TempDir
    Path dir;

    @Test
    void theLinuxPlanShowsTheKillSwitchWhenAsked() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/nft")) || Files.isExecutable(Path.of("/sbin/nft")),
                "the Linux plan of a full tunnel needs nft");
        Path conf = Files.writeString(dir.resolve("wg0.conf"), """
                [Interface]
                PrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=
                Address = 10.8.0.2/24
                MTU = 1420

                [Peer]
                PublicKey = xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=
                Endpoint = 198.51.100.7:51820
                AllowedIPs = 0.0.0.0/0
                """);
        String with = run("run", "--dry-run", "--platform", "linux", "--block-untunneled", "--allow-lan",
                conf.toString());
        int routes = with.indexOf("ip -4 route add 0.0.0.0/0 dev wg0 table");
        int table = with.indexOf("table inet wirefx_ks_wg0 {");
        assertTrue(routes >= 0 && table > routes, with);
        assertTrue(with.contains("ip daddr 198.51.100.7 udp dport 51820 accept"), with);
        assertTrue(with.contains("ip daddr { 10.0.0.0/8"), with);
        String without = run("run", "--dry-run", "--platform", "linux", conf.toString());
        assertFalse(without.contains("wirefx_ks_"), without);
    }

    private static String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = new CliMain(new java.io.ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }
}
