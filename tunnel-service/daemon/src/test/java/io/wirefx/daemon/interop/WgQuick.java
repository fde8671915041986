package io.wirefx.daemon.interop;

import io.wirefx.tun.linux.testing.NetNs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs stock {@code wg-quick} inside a test namespace with {@code WG_QUICK_USERSPACE_IMPLEMENTATION} pointing at
 * {@code bin/wirefx-userspace}.
 *
 * <p>wg-quick only falls back to the userspace program when {@code ip link add IF type wireguard} fails and
 * {@code /sys/module/wireguard} does not exist. On a host without the kernel module (this one) that is already so.
 * If the module is present, the command runs in a private mount namespace ({@code unshare -m}, inside the network
 * namespace) where a tmpfs hides {@code /sys/module} and {@code PATH} starts with a shim directory whose {@code ip}
 * fails exactly {@code ip link add ... type wireguard} and passes everything else to the real {@code ip}; nothing
 * outside that one process tree is affected.
 */
final class WgQuick {

    private final NetNs ns;
    private final Path shimDir; // null when the kernel has no WireGuard module

    private WgQuick(NetNs ns, Path shimDir) {
        this.ns = ns;
        this.shimDir = shimDir;
    }

    /** Probes the kernel module inside {@code ns} and prepares the shim if needed. */
    static WgQuick in(NetNs ns, Path workDir) throws IOException {
        String probe = NetNs.uniqueInterfaceName("wfq");
        boolean kernelModule = ns.ipResult("link", "add", "dev", probe, "type", "wireguard").exitCode() == 0;
        if (!kernelModule) {
            return new WgQuick(ns, null);
        }
        ns.ip("link", "del", "dev", probe);
        Path dir = Files.createDirectories(workDir.resolve("ip-shim"));
        Path realIp = List.of(Path.of("/usr/sbin/ip"), Path.of("/sbin/ip"), Path.of("/usr/bin/ip"), Path.of("/bin/ip"))
                .stream().filter(Files::isExecutable).findFirst().orElseThrow(() -> new IOException("no ip binary"));
        Path shim = dir.resolve("ip");
        Files.writeString(shim, """
                #!/bin/sh
                # Test shim: pretend there is no WireGuard kernel module, pass everything else through.
                case " $* " in
                  *" link add "*" type wireguard "*) echo "ip (test shim): no kernel WireGuard" >&2; exit 2 ;;
                esac
                exec %s "$@"
                """.formatted(realIp));
        Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new WgQuick(ns, dir);
    }

    /** True when the kernel module was found and the shim is used. */
    boolean usesShim() {
        return shimDir != null;
    }

    /** Runs {@code wg-quick ACTION CONFIG}; returns exit code and output. */
    NetNs.ExecResult run(String action, Path config) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("env",
                "WG_QUICK_USERSPACE_IMPLEMENTATION=" + Interop.launcher(),
                "WIREFX_CLASSPATH=" + Interop.daemonClassPath()));
        if (shimDir == null) {
            cmd.addAll(List.of("wg-quick", action, config.toString()));
        } else {
            cmd.addAll(List.of("unshare", "-m", "sh", "-c",
                    "mount -t tmpfs none /sys/module && PATH=\"$0:$PATH\" exec wg-quick \"$1\" \"$2\"",
                    shimDir.toString(), action, config.toString()));
        }
        return ns.exec(cmd.toArray(String[]::new));
    }
}
