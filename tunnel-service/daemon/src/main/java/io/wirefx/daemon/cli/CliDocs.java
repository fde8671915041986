package io.wirefx.daemon.cli;

import io.wirefx.daemon.service.ServiceCommandLine;
import io.wirefx.platform.PlatformUnavailableException;
import io.wirefx.platform.Platforms;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes what the packages install for {@code wirefx}, all derived from the picocli model of {@link CliMain}: the bash
 * completion ({@code wirefx.bash}, picocli's generator), the zsh completion ({@code _wirefx}) and the man page
 * ({@code wirefx.1}, roff); and the man page of the service ({@code wirefx-service.8}) from the picocli model of
 * {@link ServiceCommandLine} with the defaults of the platform it runs on. Run at package build:
 * {@code java -cp … io.wirefx.daemon.cli.CliDocs OUTPUT_DIR}.
 */
public final class CliDocs {
    private final CommandLine commandLine;

    CliDocs(CommandLine commandLine) {
        this.commandLine = commandLine;
    }

    public static void main(String[] args) throws IOException, PlatformUnavailableException {
        if (args.length != 1) {
            System.err.println("usage: CliDocs OUTPUT_DIR");
            System.exit(2);
        }
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        CliDocs docs = new CliDocs(new CliMain(new ByteArrayInputStream(new byte[0]), nowhere, nowhere).commandLine());
        Path dir = Files.createDirectories(Path.of(args[0]));
        Files.writeString(dir.resolve("wirefx.bash"), docs.bash(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("_wirefx"), docs.zsh(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("wirefx.1"), docs.manPage(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("wirefx-service.8"),
                serviceManPage(ServiceCommandLine.commandLine(Platforms.current().paths())), StandardCharsets.UTF_8);
    }

    /** The man page of the service, wirefx-service(8): its run options, then install and uninstall with theirs. */
    static String serviceManPage(CommandLine service) {
        CommandSpec top = service.getCommandSpec();
        StringBuilder b = new StringBuilder();
        b.append(".TH WIREFX\\-SERVICE 8 \"\" \"WireFX\" \"System Administration\"\n");
        b.append(".SH NAME\nwirefx\\-service \\- the WireFX service, which owns the tunnels\n");
        b.append(".SH SYNOPSIS\n.B wirefx\\-service\n[\\fIoptions\\fR]\n.br\n");
        for (String command : service.getSubcommands().keySet()) {
            b.append(".B wirefx\\-service ").append(command).append('\n');
            if (!service.getSubcommands().get(command).getCommandSpec().options().stream()
                    .allMatch(OptionSpec::usageHelp)) {
                b.append("[\\fIoptions\\fR]\n");
            }
            b.append(".br\n");
        }
        b.append(".SH DESCRIPTION\n").append(roff(String.join(" ", top.usageMessage().description()))).append('\n');
        b.append(".SH OPTIONS\n");
        options(b, top);
        b.append(".SH COMMANDS\n");
        for (Map.Entry<String, CommandLine> e : service.getSubcommands().entrySet()) {
            CommandSpec spec = e.getValue().getCommandSpec();
            b.append(".TP\n.B ").append(e.getKey()).append('\n')
                    .append(roff(String.join(" ", spec.usageMessage().description()))).append('\n');
            if (!spec.options().stream().allMatch(OptionSpec::usageHelp)) {
                b.append(".RS\nTakes the options above.\n.RE\n");
            }
        }
        b.append(".SH FILES\n.TP\n.B /usr/lib/systemd/system/wirefx.service\nthe systemd unit that runs it\n");
        b.append(".SH EXIT STATUS\n").append(roff(ServiceCommandLine.EXIT_CODES.replace('\n', ' '))).append('\n');
        b.append(".SH SEE ALSO\n.BR wirefx (1),\n.BR wg (8),\n.BR systemctl (1),\n/opt/wirefx/docs/service.md\n");
        return b.toString();
    }

    private static void options(StringBuilder b, CommandSpec spec) {
        for (OptionSpec o : spec.options()) {
            b.append(".TP\n.B ").append(roff(String.join(", ", o.names())));
            if (o.arity().max() > 0) {
                b.append(" \\fI").append(roff(o.paramLabel())).append("\\fR");
            }
            String text = String.join(" ", o.description());
            String dflt = o.defaultValueString();
            text = text.replace(" (default ${DEFAULT-VALUE})", dflt == null ? "" : " (default " + dflt + ")");
            b.append('\n').append(roff(text)).append('\n');
        }
    }

    String bash() {
        return AutoComplete.bash("wirefx", commandLine);
    }

    /** A zsh completion function: the commands, then each command's options and file or tunnel arguments. */
    String zsh() {
        StringBuilder b = new StringBuilder("#compdef wirefx\n# Generated from the wirefx command line (CliDocs).\n\n");
        b.append("_wirefx() {\n  local -a commands\n  commands=(\n");
        for (Map.Entry<String, CommandLine> e : commandLine.getSubcommands().entrySet()) {
            b.append("    '").append(e.getKey()).append(':').append(zshQuote(summary(e.getValue().getCommandSpec())))
                    .append("'\n");
        }
        b.append("  )\n  if (( CURRENT == 2 )); then\n    _describe -t commands 'wirefx command' commands\n"
                + "    return\n  fi\n  case ${words[2]} in\n");
        for (Map.Entry<String, CommandLine> e : commandLine.getSubcommands().entrySet()) {
            CommandSpec spec = e.getValue().getCommandSpec();
            b.append("    ").append(e.getKey()).append(")\n      _arguments -s");
            for (OptionSpec o : spec.options()) {
                String desc = zshQuote(String.join(" ", o.description()));
                String value = o.arity().max() > 0 ? ":" + zshQuote(o.paramLabel()) + ":"
                        + (o.paramLabel().equals("PATH") ? "_files" : " ") : "";
                for (String name : o.names()) {
                    b.append(" \\\n        '").append(name).append('[').append(desc).append(']').append(value)
                            .append('\'');
                }
            }
            for (PositionalParamSpec p : spec.positionalParameters()) {
                String what = p.paramLabel().contains("FILE") || p.paramLabel().equals("ZIP") ? "_files" : " ";
                b.append(" \\\n        '").append(p.arity().max() > 1 ? "*" : "").append(':')
                        .append(zshQuote(p.paramLabel())).append(':').append(what).append('\'');
            }
            b.append("\n      ;;\n");
        }
        b.append("  esac\n}\n\n_wirefx \"$@\"\n");
        return b.toString();
    }

    /** The man page, wirefx(1). */
    String manPage() {
        CommandSpec top = commandLine.getCommandSpec();
        StringBuilder b = new StringBuilder();
        b.append(".TH WIREFX 1 \"\" \"WireFX\" \"User Commands\"\n");
        b.append(".SH NAME\nwirefx \\- ").append(roff(String.join(" ", top.usageMessage().description())))
                .append('\n');
        b.append(".SH SYNOPSIS\n.B wirefx\n.I command\n[\\fIoptions\\fR] [\\fIarguments\\fR]\n");
        b.append(".SH COMMANDS\n");
        for (Map.Entry<String, CommandLine> e : commandLine.getSubcommands().entrySet()) {
            CommandSpec spec = e.getValue().getCommandSpec();
            b.append(".TP\n.B ").append(e.getKey()).append(roff(CliMain.parameterLabels(spec))).append('\n')
                    .append(roff(summary(spec))).append('\n');
            for (OptionSpec o : spec.options()) {
                if (o.usageHelp()) {
                    continue;
                }
                b.append(".RS\n.TP\n.B ").append(roff(String.join(", ", o.names())));
                if (o.arity().max() > 0) {
                    b.append(" \\fI").append(roff(o.paramLabel())).append("\\fR");
                }
                b.append('\n').append(roff(String.join(" ", o.description())
                        .replace("${DEFAULT-VALUE}", String.valueOf(o.defaultValue())))).append("\n.RE\n");
            }
        }
        b.append(".SH ENVIRONMENT\n.TP\n.B WIREFX_SOCKET\nthe service's socket (default /run/wirefx/wirefx.sock)\n")
                .append(".TP\n.B WIREFX_STATE_DIR\nthe state journal of \\fBwirefx run\\fR (default /run/wirefx)\n");
        b.append(".SH EXIT STATUS\n").append(roff(CliMain.EXIT_CODES.replace('\n', ' '))).append('\n');
        b.append(".SH SEE ALSO\n.BR wg (8),\n.BR wg-quick (8),\n/opt/wirefx/docs/service.md\n");
        return b.toString();
    }

    private static String summary(CommandSpec spec) {
        List<String> parts = new ArrayList<>(List.of(spec.usageMessage().header()));
        if (parts.isEmpty()) {
            parts.addAll(List.of(spec.usageMessage().description()));
        }
        return String.join(" ", parts).replace("%n", " ").strip();
    }

    private static String zshQuote(String s) {
        return s.replace("'", "'\\''").replace("[", "\\[").replace("]", "\\]").replace(":", "\\:");
    }

    private static String roff(String s) {
        String t = s.replace("\\", "\\\\").replace("-", "\\-").replace("…", "...");
        return t.startsWith(".") || t.startsWith("'") ? "\\&" + t : t;
    }
}
