package io.wirefx.daemon.cli;

import io.wirefx.daemon.run.RunCommand;

import io.wirefx.core.config.BadConfigException;
import io.wirefx.core.config.Config;
import io.wirefx.core.crypto.Key;
import io.wirefx.core.crypto.KeyFormatException;
import io.wirefx.core.crypto.KeyPair;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wirefx}: the command line, parsed by picocli (which also renders the help and, through {@link CliDocs}, the
 * shell completion and the man page). Exit codes: 0 success, 1 the input was bad (a config error, an invalid key),
 * 2 usage error, 3 cannot start / service unreachable or refused, 4 operation failed. The service commands are in
 * {@link io.wirefx.daemon.client.ClientCli}.
 */
@Command(name = "wirefx", synopsisSubcommandLabel = "<command>",
        description = "WireFX, a WireGuard VPN: keys, configuration checks, a tunnel in the foreground, and the "
                + "commands of the WireFX service.")
public final class CliMain implements Callable<Integer> {
    static final int OK = 0;
    static final int BAD_INPUT = 1;
    static final int USAGE = 2;
    private static final int WIDTH = 100;
    private static final int INDENT = 20;

    static final String EXIT_CODES = """
            Exit codes: 0 success (run: stopped and torn down cleanly), 1 bad input (configuration, key,
            file name, no such tunnel), 2 usage error; run: 3 cannot start (not root, interface exists,
            already running, tool missing; nothing changed), 4 bring-up failed (undone) or teardown
            incomplete; service commands: 3 the service is unreachable or refused the caller (not root and
            not in the wirefx or wirefx-admin group), 4 the operation failed (bring-up failed, overlap,
            wrong state).""";

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "this help")
    boolean help;

    CliMain(InputStream in, PrintStream out, PrintStream err) {
        this.in = in;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        int code = new CliMain(System.in, System.out, System.err).run(args);
        System.out.flush();
        System.exit(code);
    }

    int run(String[] args) {
        return commandLine().execute(args);
    }

    /** The whole command tree, writing to this instance's streams. */
    CommandLine commandLine() {
        CommandLine cl = new CommandLine(this);
        cl.addSubcommand(new GenKey());
        cl.addSubcommand(new GenPsk());
        cl.addSubcommand(new PubKey());
        cl.addSubcommand(new Check());
        cl.addSubcommand(new Run());
        for (Object c : new io.wirefx.daemon.client.ClientCli(out, err, System.getenv()).commands()) {
            cl.addSubcommand(c);
        }
        cl.addSubcommand(new CommandLine.HelpCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            if (c.getCommand() instanceof Run) {
                err.println("wirefx: run takes exactly one argument, the configuration file (e.g. wg0.conf): "
                        + ex.getMessage());
                return USAGE;
            }
            err.println("wirefx: " + (c == cl ? "" : c.getCommandName() + ": ") + ex.getMessage());
            err.println("See 'wirefx help" + (c == cl ? "" : " " + c.getCommandName()) + "'.");
            return USAGE;
        });
        cl.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, CliMain::commandList);
        cl.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER, h -> "\n" + EXIT_CODES + "\n");
        cl.setUsageHelpWidth(WIDTH);
        return cl;
    }

    /** The command list of the help: each command with its parameters, then its description. */
    private static String commandList(CommandLine.Help help) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, CommandLine.Help> e : help.subcommands().entrySet()) {
            CommandLine.Model.CommandSpec spec = e.getValue().commandSpec();
            if (spec.usageMessage().hidden()) {
                continue;
            }
            String head = "  " + e.getKey() + parameterLabels(spec);
            String[] header = spec.usageMessage().header();
            String text = (header.length > 0 ? String.join(" ", header)
                    : String.join(" ", spec.usageMessage().description())).replace("%n", " ").strip();
            b.append(head);
            int column = head.length();
            if (column >= INDENT) {
                b.append('\n');
                column = 0;
            }
            for (String word : text.split("\\s+")) {
                if (column > INDENT && column + 1 + word.length() > WIDTH) {
                    b.append('\n');
                    column = 0;
                }
                if (column < INDENT) {
                    b.append(" ".repeat(INDENT - column));
                    column = INDENT;
                } else {
                    b.append(' ');
                    column++;
                }
                b.append(word);
                column += word.length();
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** " FILE.conf…", " [NAME]": the positional parameters as the help and the man page show them. */
    static String parameterLabels(CommandLine.Model.CommandSpec spec) {
        StringBuilder b = new StringBuilder();
        for (CommandLine.Model.PositionalParamSpec p : spec.positionalParameters()) {
            if (p.hidden()) {
                continue;
            }
            String label = p.paramLabel() + (p.arity().max() > 1 ? "…" : "");
            b.append(' ').append(p.arity().min() == 0 ? "[" + label + "]" : label);
        }
        return b.toString();
    }

    @Override
    public Integer call() {
        commandLine().usage(err);
        return USAGE;
    }

    /** {@code -h}/{@code --help} on every local command. */
    static final class HelpOption {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "this help")
        boolean help;
    }

    @Command(name = "genkey", description = "print a new private key (Base64)")
    final class GenKey implements Callable<Integer> {
        @Mixin
        HelpOption help;

        @Override
        public Integer call() {
            return genkey();
        }
    }

    @Command(name = "genpsk", description = "print a new preshared key (Base64)")
    final class GenPsk implements Callable<Integer> {
        @Mixin
        HelpOption help;

        @Override
        public Integer call() {
            return genkey();
        }
    }

    @Command(name = "pubkey", description = "read a private key on stdin, print its public key")
    final class PubKey implements Callable<Integer> {
        @Mixin
        HelpOption help;

        @Override
        public Integer call() {
            return pubkey();
        }
    }

    @Command(name = "check",
            description = "parse wg-quick configuration files and report errors with line numbers")
    final class Check implements Callable<Integer> {
        @Mixin
        HelpOption help;

        @Parameters(paramLabel = "FILE.conf", arity = "1..*", description = "wg-quick configuration files")
        List<String> files;

        @Override
        public Integer call() {
            return check(files);
        }
    }

    @Command(name = "run",
            description = {"(root) bring the tunnel up like wg-quick up, stay in the foreground, and take it down "
                    + "on SIGTERM/SIGINT; the tunnel is named after the file (wg0.conf -> wg0); WIREFX_STATE_DIR "
                    + "(default /run/wirefx) holds the state journal that lets the next run clean up after a "
                    + "killed one. With --dry-run: print what bringing the tunnel up would change, one command "
                    + "per line, reading this system's state; changes nothing."})
    final class Run implements Callable<Integer> {
        @Mixin
        HelpOption help;

        @Parameters(paramLabel = "FILE.conf", arity = "1", description = "the tunnel's wg-quick configuration")
        String file;

        @Option(names = "--dry-run", description = "print the changes instead of making them")
        boolean dryRun;

        @Option(names = "--platform", paramLabel = "linux|macos|windows",
                description = "with --dry-run: plan for this platform (default: this one)")
        String platform;

        @Option(names = "--interface", paramLabel = "NAME",
                description = "with --dry-run: the interface name to plan with")
        String iface;

        @Option(names = "--block-untunneled",
                description = "for a full tunnel (an allowed IP of /0): drop all traffic that does not go through "
                        + "the tunnel (kill switch); the service's equivalent is `wirefx set NAME block-untunneled on'")
        boolean blockUntunneled;

        @Option(names = "--allow-lan", description = "with --block-untunneled: still allow the local network")
        boolean allowLan;

        @Override
        public Integer call() {
            if (!dryRun && (platform != null || iface != null)) {
                err.println("wirefx: run: --platform and --interface go with --dry-run");
                return USAGE;
            }
            if (allowLan && !blockUntunneled) {
                err.println("wirefx: run: --allow-lan goes with --block-untunneled");
                return USAGE;
            }
            io.wirefx.platform.TrafficPolicy policy = new io.wirefx.platform.TrafficPolicy(blockUntunneled, allowLan);
            return dryRun ? RunCommand.dryRun(file, platform, iface, policy, out, err)
                    : RunCommand.run(file, policy, err);
        }
    }

    private int genkey() {
        // genkey and genpsk are the same: 32 random bytes; a private key is clamped when used, as wg does.
        KeyPair kp = KeyPair.generate(new SecureRandom());
        out.println(kp.privateKey().toBase64());
        kp.privateKey().close();
        return OK;
    }

    private int pubkey() {
        String text;
        try {
            text = readLimited(in, 1024).trim();
        } catch (IOException e) {
            err.println("wirefx: cannot read stdin: " + e.getMessage());
            return BAD_INPUT;
        }
        try (Key priv = Key.fromBase64(text)) {
            out.println(KeyPair.fromPrivate(priv).publicKey().toBase64());
            return OK;
        } catch (KeyFormatException e) {
            err.println("wirefx: invalid private key on stdin: " + e.getMessage());
            return BAD_INPUT;
        }
    }

    private int check(List<String> files) {
        int code = OK;
        for (String f : files) {
            Path path = Path.of(f);
            try {
                Config c = Config.parse(Files.readString(path, StandardCharsets.UTF_8));
                out.println(f + ": OK (" + c.peers().size() + (c.peers().size() == 1 ? " peer)" : " peers)"));
            } catch (BadConfigException e) {
                err.println(f + ":" + e.lineNumber() + ": " + e.getMessage());
                code = BAD_INPUT;
            } catch (NoSuchFileException e) {
                err.println(f + ": no such file");
                code = BAD_INPUT;
            } catch (IOException e) {
                err.println(f + ": cannot read: " + e.getMessage());
                code = BAD_INPUT;
            }
        }
        return code;
    }

    private static String readLimited(InputStream in, int max) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[256];
        int n;
        while ((n = in.read(chunk)) > 0) {
            buf.write(chunk, 0, n);
            if (buf.size() > max) {
                break;
            }
        }
        return buf.toString(StandardCharsets.US_ASCII);
    }
}
