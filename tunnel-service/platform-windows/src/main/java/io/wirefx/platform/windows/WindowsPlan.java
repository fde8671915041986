package io.wirefx.platform.windows;

import io.wirefx.core.config.Config;
import io.wirefx.tun.windows.Guid;
import io.wirefx.tun.windows.WintunDriver;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code wirefx run --dry-run --platform windows}: prints, one per line, the Windows calls bringing a tunnel up would
 * make, and changes nothing. Where a Windows system can be read (on Windows, through the same {@link NetworkApi} the
 * configurator uses), the line for the socket pin names the current default interface; elsewhere it says it is
 * chosen at run time.
 */
public final class WindowsPlan {

    /**
     * Options of the run.
     *
     * @param killSwitch block untunneled traffic (applies to full tunnels only)
     * @param allowLan   with the kill switch, still permit the local network
     */
    public record Options(boolean killSwitch, boolean allowLan) {
    }

    /** The LUID placeholder: the adapter does not exist before the run. */
    static final long UNKNOWN_LUID = 0;

    private WindowsPlan() {
    }

    /** Prints the plan of tunnel {@code name} with {@code config}; {@code system} reads the current state. */
    public static void print(String name, Config config, Options options, Optional<NetworkApi> system,
                             Consumer<String> out) {
        WindowsTunnelSpec spec = WindowsTunnelSpec.from(name, config);
        out.accept("WintunCreateAdapter Name=\"" + name + "\" TunnelType=\"" + WintunDriver.TUNNEL_TYPE
                + "\" RequestedGUID=" + Guid.forTunnel(name).braced() + " (else WintunOpenAdapter \"" + name + "\")");
        out.accept("WintunStartSession Capacity=0x" + Integer.toHexString(WintunDriver.RING_CAPACITY));
        for (NetOp op : NetworkPlanner.operations(spec)) {
            out.accept(op.describe());
        }
        if (spec.fullTunnel()) {
            for (Family f : Family.values()) {
                if (!spec.fullTunnel(f)) {
                    continue;
                }
                String option = f == Family.IPV4 ? "IP_UNICAST_IF" : "IPV6_UNICAST_IF";
                String target = "the default interface, read at run time";
                if (system.isPresent()) {
                    try {
                        target = DefaultInterfaceBinder.defaultInterface(system.get(), f, UNKNOWN_LUID)
                                .map(r -> "interface index " + r.interfaceIndex() + " (current default, metric "
                                        + r.metric() + ")")
                                .orElse("no default interface now; pinned once one appears");
                    } catch (WindowsException e) {
                        target = "default interface unknown (" + e.getMessage() + ")";
                    }
                }
                out.accept("setsockopt " + option + " on the WireGuard UDP socket (" + f + ") = " + target);
            }
            out.accept("NotifyRouteChange2 AF_UNSPEC: re-pin the WireGuard socket when the default route changes");
        }
        if (options.killSwitch() && spec.fullTunnel()) {
            out.accept("FwpmEngineOpen0 session flags=FWPM_SESSION_FLAG_DYNAMIC (filters end with the session)");
            out.accept("FwpmTransactionBegin0");
            out.accept("FwpmProviderAdd0 \"WireFX " + name + "\"");
            out.accept("FwpmSubLayerAdd0 \"WireFX " + name + "\" weight=0x" + Integer.toHexString(
                    KillSwitch.SUBLAYER_WEIGHT));
            KillSwitchRules.compute(new KillSwitchRules.Params(UNKNOWN_LUID, WindowsPaths.SERVICE_EXECUTABLE_PLACEHOLDER,
                            ServiceSid.of(WindowsService.SERVICE_NAME), spec.dnsServers(), options.allowLan()))
                    .forEach(f -> out.accept(f.describe()));
            out.accept("FwpmTransactionCommit0");
        } else if (options.killSwitch()) {
            out.accept("# kill switch: not applied (no 0.0.0.0/0 or ::/0 route through the tunnel)");
        }
    }
}
