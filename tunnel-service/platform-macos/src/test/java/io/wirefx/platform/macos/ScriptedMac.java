package io.wirefx.platform.macos;

import io.wirefx.platform.CommandRunner;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A scripted Mac for tests: answers the state-reading commands ({@code netstat}, {@code ifconfig}, {@code route -n
 * get}, {@code networksetup -list…/-get…}) from canned outputs in the exact format of macOS 10.15+, and records every
 * other command (the mutating ones) as a shell line. Outputs can be changed between steps (a network change).
 */
final class ScriptedMac implements CommandRunner {

    static final String NETSTAT_INET_HEADER = """
            Routing tables

            Internet:
            Destination        Gateway            Flags               Netif Expire
            """;
    static final String NETSTAT_INET6_HEADER = """
            Routing tables

            Internet6:
            Destination                             Gateway                                 Flags               Netif Expire
            """;
    static final String SERVICES = """
            An asterisk (*) denotes that a network service is disabled.
            Wi-Fi
            USB 10/100/1000 LAN
            *Thunderbolt Bridge
            """;

    private final Map<String, CommandResult> answers = new HashMap<>();
    private final Map<String, CommandResult> failures = new HashMap<>();
    final List<String> mutations = new ArrayList<>();
    final List<String> all = new ArrayList<>();

    /** A home network: default via 192.168.1.1 on en0 (MTU 1500), IPv6 default via fe80::1%en0, two services. */
    static ScriptedMac home() {
        ScriptedMac m = new ScriptedMac();
        m.netstat4("""
                default            192.168.1.1        UGScg                 en0
                127                127.0.0.1          UCS                   lo0
                192.168.1          link#6             UCS                   en0      !
                """);
        m.netstat6("""
                default                                 fe80::1%en0                             UGcg                  en0
                ::1                                     ::1                                     UHL                   lo0
                """);
        m.ifconfig("en0", 1500);
        m.answer("networksetup -listallnetworkservices", SERVICES);
        m.answer("networksetup -getdnsservers Wi-Fi", "There aren't any DNS Servers set on Wi-Fi.\n");
        m.answer("networksetup -getsearchdomains Wi-Fi", "There aren't any Search Domains set on Wi-Fi.\n");
        m.answer("networksetup -getdnsservers 'USB 10/100/1000 LAN'", "9.9.9.9\n149.112.112.112\n");
        m.answer("networksetup -getsearchdomains 'USB 10/100/1000 LAN'", "home.arpa\n");
        m.answer("networksetup -getdnsservers 'Thunderbolt Bridge'", "");
        m.answer("networksetup -getsearchdomains 'Thunderbolt Bridge'", "");
        return m;
    }

    void netstat4(String rows) {
        answer("netstat -nr -f inet", NETSTAT_INET_HEADER + rows);
    }

    void netstat6(String rows) {
        answer("netstat -nr -f inet6", NETSTAT_INET6_HEADER + rows);
    }

    void ifconfig(String iface, int mtu) {
        answer("ifconfig " + iface, iface + ": flags=8863<UP,BROADCAST,SMART,RUNNING,SIMPLEX,MULTICAST> mtu " + mtu
                + "\n\tether 3c:22:fb:00:00:01\n\tstatus: active\n");
    }

    void routeGet(String family, String prefix, String iface) {
        answer("route -n get " + family + " " + prefix, """
                   route to: %s
                destination: %s
                  interface: %s
                      flags: <UP,DONE,STATIC,PRCLONING>
                 recvpipe  sendpipe  ssthresh  rtt,msec    rttvar  hopcount      mtu     expire
                       0         0         0         0         0         0      1420         0
                """.formatted(prefix, prefix, iface));
    }

    void answer(String commandLine, String stdout) {
        answers.put(commandLine, CommandResult.ok(stdout));
    }

    /** Makes a mutating command fail (it is still recorded). */
    void fail(String commandLine, String stderr) {
        failures.put(commandLine, CommandResult.failed(1, stderr));
    }

    @Override
    public synchronized CommandResult run(List<String> argv, String stdin) {
        String line = ShellWords.join(argv);
        all.add(line);
        CommandResult canned = answers.get(line);
        if (canned != null) {
            return canned;
        }
        if (isRead(argv)) {
            return switch (argv.getFirst()) {
                case "ifconfig" -> CommandResult.failed(1, "ifconfig: interface " + argv.get(1) + " does not exist");
                case "route" -> CommandResult.failed(1, "route: writing to routing socket: not in table");
                case "id" -> CommandResult.failed(1, "id: " + argv.getLast() + ": no such user");
                case "dscl" -> CommandResult.failed(56, "<dscl_cmd> DS Error: -14136 (eDSRecordNotFound)");
                default -> CommandResult.ok("");
            };
        }
        mutations.add(line);
        return failures.getOrDefault(line, CommandResult.ok(""));
    }

    private static boolean isRead(List<String> argv) {
        return switch (argv.getFirst()) {
            case "netstat", "id", "dscl" -> true;
            case "ifconfig" -> argv.size() == 2;
            case "route" -> argv.size() > 2 && argv.get(1).equals("-n") && argv.get(2).equals("get");
            case "networksetup" -> argv.get(1).startsWith("-get") || argv.get(1).startsWith("-list");
            default -> false;
        };
    }

    synchronized List<String> takeMutations() {
        List<String> m = List.copyOf(mutations);
        mutations.clear();
        return m;
    }

    @Override
    public boolean hasProgram(String program) {
        return true;
    }
}
