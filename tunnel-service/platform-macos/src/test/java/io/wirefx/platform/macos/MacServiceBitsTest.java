package io.wirefx.platform.macos;

import io.wirefx.ipc.Role;
import io.wirefx.platform.unix.AccountDatabase;
import io.wirefx.platform.unix.GroupAuthorizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Paths, roles from groups, the launchd job file and the SIGTERM stop of the macOS service. */
class MacServiceBitsTest {

    @TempDir
    Path dir;

    @Test
    void pathsFollowTheMacConventions() {
        assertEquals(Path.of("/var/run/wireguard/utun7.sock"), MacPaths.uapiSocket("utun7"));
        assertThrows(IllegalArgumentException.class, () -> MacPaths.uapiSocket("../etc/x"));
        assertTrue(MacPaths.fitsSunPath(MacPaths.IPC_SOCKET));
        assertTrue(MacPaths.fitsSunPath(MacPaths.uapiSocket("utun123456789")));
        assertFalse(MacPaths.fitsSunPath(Path.of("/" + "d".repeat(103))), "104 bytes do not fit sun_path[104]");
        assertEquals("/Library/Application Support/WireFX/tunnels", MacPaths.TUNNELS_DIR.toString());
    }

    @Test
    void rolesComeFromOpenDirectoryBecauseMacOsHasNoGetent() {
        ScriptedMac mac = new ScriptedMac();
        for (String[] u : new String[][]{{"alice", "501"}, {"bob", "502"}, {"eve", "503"}}) {
            mac.answer("id -un " + u[0], u[0] + "\n");
            mac.answer("id -u " + u[0], u[1] + "\n");
            mac.answer("id -g " + u[0], "20\n");
        }
        mac.answer("dscl /Search -read /Groups/wirefx PrimaryGroupID GroupMembership",
                "GroupMembership: alice carol\nPrimaryGroupID: 601\n");
        mac.answer("dscl /Search -read /Groups/wirefx-admin PrimaryGroupID GroupMembership",
                "GroupMembership: bob\nPrimaryGroupID: 602\n");
        MacAccountDatabase db = new MacAccountDatabase(mac);
        assertEquals(Optional.of(new AccountDatabase.User("alice", 501, 20)), db.user("alice"));
        assertEquals(Optional.of(new AccountDatabase.Group("wirefx", 601, List.of("alice", "carol"))),
                db.group("wirefx"));
        GroupAuthorizer a = new GroupAuthorizer("wirefx-admin", "wirefx", db);
        assertEquals(Optional.of(Role.OPERATOR), a.roleOf("alice", "staff"));
        assertEquals(Optional.of(Role.ADMIN), a.roleOf("bob", "staff"));
        assertEquals(Optional.empty(), a.roleOf("eve", "staff"));
        assertEquals(Optional.empty(), db.group("nosuchgroup"), "dscl fails: no group");
    }

    @Test
    void theLaunchdJobRunsAtLoadStaysAliveAndUsesTheMacPaths() throws Exception {
        Path plist = Path.of("../../installers/macos/io.wirefx.service.plist");
        var factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Element dict = (Element) factory.newDocumentBuilder().parse(plist.toFile())
                .getDocumentElement().getElementsByTagName("dict").item(0);
        Map<String, Node> keys = new LinkedHashMap<>();
        NodeList children = dict.getChildNodes();
        String key = null;
        for (int i = 0; i < children.getLength(); i++) {
            Node n = children.item(i);
            if (n instanceof Element e) {
                if (e.getTagName().equals("key")) {
                    key = e.getTextContent();
                } else {
                    keys.put(key, e);
                }
            }
        }
        assertEquals("io.wirefx.service", keys.get("Label").getTextContent());
        assertEquals("true", ((Element) keys.get("RunAtLoad")).getTagName());
        assertEquals("true", ((Element) keys.get("KeepAlive")).getTagName());
        List<String> argv = new ArrayList<>();
        NodeList strings = ((Element) keys.get("ProgramArguments")).getElementsByTagName("string");
        for (int i = 0; i < strings.getLength(); i++) {
            argv.add(strings.item(i).getTextContent());
        }
        assertEquals(List.of(MacPaths.CONFIG_DIR.resolve("bin/wirefx-service").toString(),
                "--state-dir", MacPaths.TUNNELS_DIR.toString(), "--socket", MacPaths.IPC_SOCKET.toString(),
                "--runtime-dir", MacPaths.RUNTIME_DIR.toString()), argv);
        assertEquals(MacPaths.LOG_FILE.toString(), keys.get("StandardErrorPath").getTextContent());
    }

    /** Run in a child JVM by {@link #sigtermRunsTheOrderlyStopBeforeTheProcessExits}. */
    public static final class SigtermProbe {
        public static void main(String[] args) throws Exception {
            LaunchdServiceHost host = new LaunchdServiceHost();
            Path marker = Path.of(args[0]);
            host.onStop(() -> {
                try {
                    Thread.sleep(300); // a stop that takes a while (tunnels going down)
                    Files.writeString(marker, "stopped cleanly");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            host.ready();
            System.out.println("ready");
            System.out.flush();
            host.awaitStop();
            host.stopping();
            Thread.sleep(60_000); // the shutdown hook ends the process once the stop is done
        }
    }

    @Test
    void sigtermRunsTheOrderlyStopBeforeTheProcessExits() throws Exception {
        Path marker = dir.resolve("marker");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SigtermProbe.class.getName(), marker.toString())
                .redirectErrorStream(true).start();
        try (BufferedReader out = p.inputReader()) {
            assertEquals("ready", out.readLine());
            p.destroy(); // SIGTERM, as launchctl bootout sends
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the process did not exit after SIGTERM");
        } finally {
            p.destroyForcibly();
        }
        assertEquals("stopped cleanly", Files.readString(marker));
    }
}
