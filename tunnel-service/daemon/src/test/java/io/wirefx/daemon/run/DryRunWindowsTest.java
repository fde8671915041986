package io.wirefx.daemon.run;

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

/** {@code wirefx run --dry-run --platform windows} on this (non-Windows) machine: the Windows plan, nothing native. */
class DryRunWindowsTest {

    @TempDir
    Path dir;

    @Test
    void printsTheWindowsCallsOnePerLine() throws Exception {
        Path conf = Files.writeString(dir.resolve("office.conf"), """
                [Interface]
                PrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=
                Address = 10.8.0.2/24, fd00:8::2/64
                DNS = 10.8.0.1, corp.example

                [Peer]
                PublicKey = xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=
                Endpoint = 198.51.100.7:51820
                AllowedIPs = 0.0.0.0/0, ::/0
                """);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = RunCommand.dryRun(conf.toString(), "windows", null, new io.wirefx.platform.TrafficPolicy(true, false),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(TunnelRun.OK, rc, err.toString(StandardCharsets.UTF_8));
        assertTrue(text.startsWith("WintunCreateAdapter Name=\"office\""), text);
        assertTrue(text.contains("\nCreateIpForwardEntry2 ::/0 NextHop=on-link Metric=0"), text);
        assertTrue(text.contains("\nSetInterfaceDnsSettings IPv4 NameServer=\"10.8.0.1\" SearchList=\"corp.example\""),
                text);
        assertTrue(text.contains("\nFwpmFilterAdd0 ALE_AUTH_RECV_ACCEPT_V6 weight=0 BLOCK \"block all\""), text);

        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        assertEquals(TunnelRun.OK, RunCommand.dryRun(conf.toString(), "windows", null,
                new PrintStream(plain, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertFalse(plain.toString(StandardCharsets.UTF_8).contains("FwpmFilterAdd0"),
                "without the setting, no kill switch: " + plain);
    }
}
