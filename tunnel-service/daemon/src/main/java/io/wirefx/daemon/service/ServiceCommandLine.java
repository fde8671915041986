package io.wirefx.daemon.service;

import io.wirefx.daemon.ipc.IpcServer;
import io.wirefx.platform.PlatformPaths;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The command line of {@code wirefx-service}, parsed by picocli (which also renders {@code --help} and, through
 * {@link io.wirefx.daemon.cli.CliDocs}, the man page wirefx-service(8)). {@link #parse} turns the arguments into what
 * to do ({@link Parsed}); help, version and usage errors are printed here and end in {@link Done}. The defaults come
 * from the platform's paths, so the help shows the ones of the platform it runs on.
 */
public final class ServiceCommandLine {
    static final String NAME = "wirefx-service";
    private static final int WIDTH = 100;

    public static final String EXIT_CODES = """
            Runs in the foreground and logs to stderr; SIGTERM stops all tunnels (they are restored at the
            next start). Needs root (CAP_NET_ADMIN). Exit codes: 0 stopped (or help, version, install,
            uninstall done), 2 usage error, 3 cannot start (not root / no CAP_NET_ADMIN, socket or
            directories unusable; install: the supervisor refused).""";

    /** What the command line asks for. */
    public sealed interface Parsed permits Run, Install, Uninstall, Done {
    }

    /** Run the service in the foreground with these options. */
    public record Run(ServiceMain.Options options) implements Parsed {
    }

    /**
     * Register the service to run with {@code options}; {@code arguments} are the options as given (already checked),
     * for the supervisor's command line.
     */
    public record Install(ServiceMain.Options options, List<String> arguments) implements Parsed {
        public Install {
            arguments = List.copyOf(arguments);
        }
    }

    /** Stop and unregister the service. */
    public record Uninstall() implements Parsed {
    }

    /** Nothing more to do: help or version printed (0), or a usage error printed (2). */
    public record Done(int exitCode) implements Parsed {
    }

    private ServiceCommandLine() {
    }

    /**
     * Parses {@code args}: help and version go to {@code out}, usage errors (naming the argument at fault) to
     * {@code err}.
     */
    public static Parsed parse(String[] args, PlatformPaths paths, PrintStream out, PrintStream err) {
        Top top = new Top();
        CommandLine cl = commandLine(paths, top, out, err);
        ParseResult result;
        try {
            result = cl.parseArgs(args);
            if (CommandLine.printHelpIfRequested(result)) {
                return new Done(ServiceMain.OK);
            }
            ParseResult sub = result.subcommand();
            if (sub == null) {
                return new Run(top.options.toOptions(paths));
            }
            if (!result.matchedOptions().isEmpty()) {
                throw new ParameterException(cl, "the options of " + sub.commandSpec().name() + " go after it: "
                        + NAME + " " + sub.commandSpec().name() + " [options]");
            }
            if (sub.commandSpec().userObject() instanceof InstallCommand ic) {
                return new Install(ic.options.toOptions(paths), Arrays.asList(args).subList(1, args.length));
            }
            return new Uninstall();
        } catch (IllegalArgumentException e) {
            err.println(NAME + ": " + e.getMessage());
            err.println("See '" + NAME + " --help'.");
            return new Done(ServiceMain.USAGE);
        } catch (ParameterException e) {
            CommandLine at = e.getCommandLine();
            String where = at == cl ? "" : at.getCommandName() + ": ";
            err.println(NAME + ": " + where + e.getMessage());
            err.println("See '" + NAME + (at == cl ? "" : " " + at.getCommandName()) + " --help'.");
            return new Done(ServiceMain.USAGE);
        }
    }

    /** The command tree with the defaults of {@code paths}, for the help and the man page. */
    public static CommandLine commandLine(PlatformPaths paths) {
        PrintStream nowhere = new PrintStream(java.io.OutputStream.nullOutputStream());
        return commandLine(paths, new Top(), nowhere, nowhere);
    }

    /** The version line: {@code wirefx-service VERSION (Java VERSION)}. */
    public static String version() {
        String v = "unknown";
        try (InputStream in = ServiceCommandLine.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String found = p.getProperty("version", "");
                if (!found.isBlank() && !found.startsWith("${")) {
                    v = found;
                }
            }
        } catch (IOException e) {
            // a jar without the resource: the version stays unknown
        }
        return NAME + " " + v + " (WireFX, Java " + Runtime.version() + ")";
    }

    private static CommandLine commandLine(PlatformPaths paths, Top top, PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(top);
        cl.addSubcommand(new InstallCommand());
        cl.addSubcommand(new UninstallCommand());
        cl.setDefaultValueProvider(spec -> defaultOf(spec, paths));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setUsageHelpWidth(WIDTH);
        cl.setUsageHelpAutoWidth(false);
        cl.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER,
                h -> "\n" + EXIT_CODES + "\n");
        return cl;
    }

    /** The platform's default of each run option (picocli shows it in the help as ${DEFAULT-VALUE}). */
    private static String defaultOf(ArgSpec spec, PlatformPaths paths) {
        if (!(spec instanceof OptionSpec o)) {
            return null;
        }
        return switch (o.longestName()) {
            case "--state-dir" -> paths.configDir().toString();
            case "--socket" -> paths.ipcAddress();
            case "--runtime-dir" -> paths.runtimeDir().toString();
            case "--admin-group" -> IpcServer.DEFAULT_ADMIN_GROUP;
            case "--operator-group" -> IpcServer.DEFAULT_OPERATOR_GROUP;
            case "--uapi-dir" -> paths.uapiDir() == null ? null : paths.uapiDir().toString();
            default -> null;
        };
    }

    /** A value that must not be empty or blank (a path, a socket address, a group name). */
    static final class NonBlank implements CommandLine.ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (value.isBlank()) {
                throw new CommandLine.TypeConversionException("must not be empty");
            }
            return value;
        }
    }

    private static Path path(String option, String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(option + ": not a path: " + value);
        }
    }

    /** The options of a run (and of {@code install}, which registers a run with them). */
    static final class RunOptions {
        @Option(names = "--state-dir", paramLabel = "DIR", converter = NonBlank.class,
                description = "tunnel configurations and the set of running tunnels (default ${DEFAULT-VALUE})")
        String stateDir;

        @Option(names = "--socket", paramLabel = "PATH", converter = NonBlank.class,
                description = "the control socket (default ${DEFAULT-VALUE})")
        String socket;

        @Option(names = "--runtime-dir", paramLabel = "DIR", converter = NonBlank.class,
                description = "network journals and locks (default ${DEFAULT-VALUE})")
        String runtimeDir;

        @Option(names = "--admin-group", paramLabel = "NAME", converter = NonBlank.class,
                description = "members may do everything (default ${DEFAULT-VALUE})")
        String adminGroup;

        @Option(names = "--operator-group", paramLabel = "NAME", converter = NonBlank.class,
                description = "members may list, start and stop tunnels (default ${DEFAULT-VALUE})")
        String operatorGroup;

        @Option(names = "--allow-scripts",
                description = "run the PreUp/PostUp/PreDown/PostDown commands of configurations (as root!)")
        boolean allowScripts;

        @Option(names = "--uapi-dir", paramLabel = "DIR|none", converter = NonBlank.class,
                description = "where each tunnel serves its wg(8) socket; none: no wg(8) endpoint "
                        + "(default ${DEFAULT-VALUE})")
        String uapiDir;

        /** The options given; what was not given is the default of {@code paths} (set by the default provider). */
        ServiceMain.Options toOptions(PlatformPaths paths) {
            ServiceMain.Options d = ServiceMain.Options.defaults(paths);
            boolean uapi = uapiDir == null ? d.uapi() : !uapiDir.equals("none");
            Path uapiPath = uapiDir == null ? d.uapiDir() : uapi ? path("--uapi-dir", uapiDir) : null;
            return new ServiceMain.Options(
                    stateDir == null ? d.stateDir() : path("--state-dir", stateDir),
                    socket == null ? d.socket() : socket,
                    runtimeDir == null ? d.runtimeDir() : path("--runtime-dir", runtimeDir),
                    adminGroup == null ? d.adminGroup() : adminGroup,
                    operatorGroup == null ? d.operatorGroup() : operatorGroup,
                    allowScripts, uapiPath, uapi);
        }
    }

    static final class HelpOptions {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "this help")
        boolean help;
    }

    @Command(name = NAME, versionProvider = VersionProvider.class, sortOptions = false,
            description = "The WireFX service: owns the tunnels and serves the control socket that wirefx and the "
                    + "tray app use. Without a command it runs in the foreground.",
            synopsisSubcommandLabel = "[install | uninstall]")
    static final class Top {
        @Mixin
        RunOptions options = new RunOptions();

        @Mixin
        HelpOptions help;

        @Option(names = {"-V", "--version"}, versionHelp = true, description = "print the version")
        boolean version;
    }

    @Command(name = "install", sortOptions = false,
            description = {"register the service to run with these options, starting automatically (Windows; the "
                    + "Linux and macOS packages register it)",
                    "The options are checked first; the service runs this Java runtime and class path."})
    static final class InstallCommand {
        @Mixin
        RunOptions options = new RunOptions();

        @Mixin
        HelpOptions help;
    }

    @Command(name = "uninstall",
            description = "stop the service and unregister it (Windows)")
    static final class UninstallCommand {
        @Mixin
        HelpOptions help;
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{version()};
        }
    }
}
