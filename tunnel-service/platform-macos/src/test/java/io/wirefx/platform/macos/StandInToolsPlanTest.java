package io.wirefx.platform.macos;

import io.wirefx.core.config.Config;
import io.wirefx.platform.PlanOptions;
import io.wirefx.platform.ProcessCommandRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The dry-run plan with real processes: shell-script stand-ins for {@code netstat}, {@code ifconfig}, {@code route}
 * and {@code networksetup} (macOS output formats) in {@code target/standin-bin}, which the module's surefire
 * configuration puts first on {@code PATH}. They log every invocation; the plan may only have read.
 * Not on macOS, where the directory would shadow the real tools for the macOS tests of the same run.
 */
@DisabledOnOs(OS.MAC)
class StandInToolsPlanTest {

    private final Path bin = Path.of("target", "standin-bin").toAbsolutePath();
    private final Path calls = bin.resolve("calls.log");

    @BeforeEach
    void writeStandIns() throws Exception {
        String path = System.getenv("PATH");
        assumeTrue(path != null && path.startsWith(bin.toString()), "surefire did not put " + bin + " on PATH");
        Files.createDirectories(bin);
        script("netstat", """
                if [ "$3" = inet ]; then
                  printf 'Routing tables\\n\\nInternet:\\n'
                  printf 'Destination        Gateway            Flags               Netif Expire\\n'
                  printf 'default            192.168.1.1        UGScg                 en0\\n'
                  printf '127                127.0.0.1          UCS                   lo0\\n'
                else
                  printf 'Routing tables\\n\\nInternet6:\\n'
                  printf 'Destination     Gateway      Flags       Netif Expire\\n'
                  printf '::1             ::1          UHL           lo0\\n'
                fi
                """);
        script("ifconfig", """
                case "$*" in
                  en0) printf 'en0: flags=8863<UP,BROADCAST,RUNNING> mtu 1492\\n' ;;
                  *) echo "ifconfig: interface $1 does not exist" >&2; exit 1 ;;
                esac
                """);
        script("route", """
                case "$*" in
                  "-n get -inet 10.8.0.0/24") printf '   route to: 10.8.0.0\\n  interface: utun3\\n' ;;
                  "-n get "*) echo "route: writing to routing socket: not in table" >&2; exit 1 ;;
                  *) echo "MUTATION route $*" >> "$(dirname "$0")/calls.log" ;;
                esac
                """);
        script("networksetup", """
                case "$1" in
                  -listallnetworkservices) printf 'An asterisk (*) denotes that a network service is disabled.\\nWi-Fi\\n' ;;
                  -getdnsservers) echo "There aren't any DNS Servers set on $2." ;;
                  -getsearchdomains) echo "example.net" ;;
                  *) echo "MUTATION networksetup $*" >> "$(dirname "$0")/calls.log" ;;
                esac
                """);
    }

    private void script(String name, String body) throws Exception {
        Path f = bin.resolve(name);
        Files.writeString(f, "#!/bin/sh\necho \"" + name + " $*\" >> \"$(dirname \"$0\")/calls.log\"\n" + body);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void removeStandIns() throws Exception {
        if (Files.exists(bin)) {
            try (Stream<Path> s = Files.walk(bin)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @Test
    void thePlanReadsThroughTheToolsOnThePathAndOnlyPrints() throws Exception {
        Config c = DarwinPlanTest.config("""
                Address = 10.8.0.2/24
                DNS = 10.8.0.1
                """, """
                AllowedIPs = 10.8.0.0/24, 0.0.0.0/0
                Endpoint = 198.51.100.4:51820
                """);
        List<String> lines = new ArrayList<>();
        ProcessCommandRunner runner = new ProcessCommandRunner();
        new MacNetworkSetup(runner).plan(c, new PlanOptions("lab", "utun3", runner), lines::add);
        assertEquals(List.of(
                "# open utun: socket(PF_SYSTEM, SOCK_DGRAM, SYSPROTO_CONTROL), connect to com.apple.net.utun_control"
                        + " unit 0 (the kernel picks utunN; this plan assumes utun3)",
                "ifconfig utun3 inet 10.8.0.2/24 10.8.0.2 alias",
                "ifconfig utun3 mtu 1412",
                "ifconfig utun3 up",
                "route -q -n add -inet 0.0.0.0/1 -interface utun3",
                "route -q -n add -inet 128.0.0.0/1 -interface utun3",
                "route -q -n delete -inet 198.51.100.4",
                "route -q -n add -inet 198.51.100.4 -gateway 192.168.1.1",
                "networksetup -setdnsservers Wi-Fi 10.8.0.1",
                "networksetup -setsearchdomains Wi-Fi Empty"), lines);
        List<String> log = Files.readAllLines(calls);
        assertTrue(log.stream().noneMatch(l -> l.startsWith("MUTATION")), log.toString());
        assertTrue(log.contains("route -n get -inet 10.8.0.0/24"), log.toString());
        assertTrue(log.contains("ifconfig en0"), log.toString());
        assertTrue(log.contains("networksetup -getsearchdomains Wi-Fi"), log.toString());
    }
}
