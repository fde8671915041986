package io.wirefx.platform;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link CommandRunner} for unit tests: records every command, answers queries from canned output, and tracks
 * which links exist ({@code ip link show dev X} succeeds for those; {@code ip link delete dev X} removes one).
 * Any other command succeeds with empty output unless a response or failure is registered for it.
 */
public final class FakeRunner implements CommandRunner {
    public static final String NETNS = "net:[4026531840]";

    public record Call(String command, String stdin) {
        @Override
        public String toString() {
            return stdin == null ? command : command + " <<< " + stdin.replace("\n", "\\n");
        }
    }

    public final List<Call> calls = new ArrayList<>();
    /** The calls made through {@link #change}, rendered as a {@link PlanRunner} prints them. */
    public final List<String> changed = new ArrayList<>();
    public final Set<String> links = new HashSet<>();
    public final Set<String> programs = new HashSet<>(Set.of("ip", "nft", "sysctl", "bash"));
    private final Map<String, CommandResult> responses = new HashMap<>();

    public FakeRunner() {
        respond("readlink /proc/self/ns/net", NETNS + "\n");
    }

    /** Canned stdout for exactly this command line. */
    public FakeRunner respond(String command, String stdout) {
        responses.put(command, CommandResult.ok(stdout));
        return this;
    }

    /** This command line exits 2 with {@code stderr}. */
    public FakeRunner fail(String command, String stderr) {
        responses.put(command, CommandResult.failed(2, stderr));
        return this;
    }

    @Override
    public CommandResult run(List<String> argv, String stdin) {
        String cmd = String.join(" ", argv);
        calls.add(new Call(cmd, stdin));
        CommandResult canned = responses.get(cmd);
        if (canned != null) {
            return canned;
        }
        if (argv.size() == 5 && cmd.startsWith("ip link show dev ")) {
            return links.contains(argv.get(4)) ? CommandResult.ok(linkLine(argv.get(4)))
                    : CommandResult.failed(1, "Device \"" + argv.get(4) + "\" does not exist.");
        }
        if (argv.size() == 5 && cmd.startsWith("ip link delete dev ")) {
            return links.remove(argv.get(4)) ? CommandResult.ok("")
                    : CommandResult.failed(1, "Cannot find device \"" + argv.get(4) + "\"");
        }
        return CommandResult.ok("");
    }

    @Override
    public CommandResult change(List<String> argv, String stdin) {
        changed.add(PlanRunner.render(argv, stdin));
        return run(argv, stdin);
    }

    private static String linkLine(String name) {
        return "7: " + name + ": <POINTOPOINT,MULTICAST,NOARP,UP,LOWER_UP> mtu 1420 qdisc fq_codel state UNKNOWN\n";
    }

    @Override
    public boolean hasProgram(String program) {
        return programs.contains(program);
    }

    /** All command lines, in order. */
    public List<String> commands() {
        return calls.stream().map(Call::command).toList();
    }

    /** The commands that change something: queries (show, get, list, readlink) left out. */
    public List<String> changes() {
        return calls.stream().map(Call::command).filter(c -> !isQuery(c)).toList();
    }

    /** Stdin given to the n-th call of {@code command}. */
    public String stdinOf(String command, int n) {
        int seen = 0;
        for (Call c : calls) {
            if (c.command().equals(command) && seen++ == n) {
                return c.stdin();
            }
        }
        throw new AssertionError("no call #" + n + " of " + command + " in " + calls);
    }

    public void clear() {
        calls.clear();
        changed.clear();
    }

    public static boolean isQuery(String c) {
        return c.startsWith("readlink ") || c.startsWith("nft list ")
                || c.matches("ip (-[46No] )*(route|link|rule|address) (show|get)\\b.*");
    }
}
