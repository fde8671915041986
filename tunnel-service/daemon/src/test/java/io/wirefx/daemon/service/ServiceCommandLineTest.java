package io.wirefx.daemon.service;

import io.wirefx.platform.PlatformPaths;
import io.wirefx.platform.linux.LinuxPlatform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServiceCommandLineTest {
    static final PlatformPaths PATHS = new LinuxPlatform().paths();

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

    private ServiceCommandLine.Parsed parse(String... args) {
        return ServiceCommandLine.parse(args, PATHS, new PrintStream(outBytes, true, StandardCharsets.UTF_8),
                new PrintStream(errBytes, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    private ServiceMain.Options run(String... args) {
        return assertInstanceOf(ServiceCommandLine.Run.class, parse(args), err()).options();
    }

    @Test
    void noArgumentsRunWithThePlatformDefaults() {
        assertEquals(ServiceMain.Options.defaults(PATHS), run());
        ServiceMain.Options d = run();
        assertEquals(Path.of("/etc/wirefx/tunnels"), d.stateDir());
        assertEquals("/run/wirefx/wirefx.sock", d.socket());
        assertEquals(Path.of("/run/wirefx"), d.runtimeDir());
        assertEquals("wirefx-admin", d.adminGroup());
        assertEquals("wirefx", d.operatorGroup());
        assertFalse(d.allowScripts());
        assertTrue(d.uapi());
        assertEquals(Path.of("/var/run/wireguard"), d.uapiDir());
        assertEquals("", out() + err());
    }

    @Test
    void eachOptionSetsItsFieldOnly() {
        ServiceMain.Options d = ServiceMain.Options.defaults(PATHS);
        assertEquals(new ServiceMain.Options(Path.of("/s"), d.socket(), d.runtimeDir(), d.adminGroup(),
                d.operatorGroup(), false, d.uapiDir(), true), run("--state-dir", "/s"));
        assertEquals(new ServiceMain.Options(d.stateDir(), "/k.sock", d.runtimeDir(), d.adminGroup(),
                d.operatorGroup(), false, d.uapiDir(), true), run("--socket", "/k.sock"));
        assertEquals(new ServiceMain.Options(d.stateDir(), d.socket(), Path.of("/r"), d.adminGroup(),
                d.operatorGroup(), false, d.uapiDir(), true), run("--runtime-dir=/r"));
        assertEquals(new ServiceMain.Options(d.stateDir(), d.socket(), d.runtimeDir(), "adm",
                d.operatorGroup(), false, d.uapiDir(), true), run("--admin-group", "adm"));
        assertEquals(new ServiceMain.Options(d.stateDir(), d.socket(), d.runtimeDir(), d.adminGroup(),
                "ops", false, d.uapiDir(), true), run("--operator-group", "ops"));
        assertEquals(new ServiceMain.Options(d.stateDir(), d.socket(), d.runtimeDir(), d.adminGroup(),
                d.operatorGroup(), true, d.uapiDir(), true), run("--allow-scripts"));
        assertEquals(new ServiceMain.Options(d.stateDir(), d.socket(), d.runtimeDir(), d.adminGroup(),
                d.operatorGroup(), false, Path.of("/u"), true), run("--uapi-dir", "/u"));
        ServiceMain.Options none = run("--uapi-dir", "none");
        assertFalse(none.uapi());
        assertNull(none.uapiDir());
    }

    @Test
    void allOptionsTogetherInAnyOrder() {
        assertEquals(new ServiceMain.Options(Path.of("/s"), "/k.sock", Path.of("/r"), "adm", "ops", true, null, false),
                run("--uapi-dir", "none", "--allow-scripts", "--operator-group", "ops", "--admin-group", "adm",
                        "--runtime-dir", "/r", "--socket", "/k.sock", "--state-dir", "/s"));
    }

    @Test
    void installCarriesTheCheckedOptionsAsGiven() {
        ServiceCommandLine.Install i = assertInstanceOf(ServiceCommandLine.Install.class,
                parse("install", "--allow-scripts", "--state-dir", "/s"), err());
        assertEquals(List.of("--allow-scripts", "--state-dir", "/s"), i.arguments());
        assertTrue(i.options().allowScripts());
        assertEquals(Path.of("/s"), i.options().stateDir());
        assertEquals(List.of(), assertInstanceOf(ServiceCommandLine.Install.class, parse("install")).arguments());
        assertInstanceOf(ServiceCommandLine.Uninstall.class, parse("uninstall"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            --socket                         | Missing required parameter for option '--socket' (PATH)
            --bogus                          | Unknown option: '--bogus'
            extra                            | Unmatched argument at index 0: 'extra'
            --state-dir <empty>              | Invalid value for option '--state-dir': must not be empty
            --admin-group <blank>            | Invalid value for option '--admin-group': must not be empty
            --allow-scripts=yes              | Invalid value for option '--allow-scripts'
            install --bogus                  | install: Unknown option: '--bogus'
            uninstall x                      | uninstall: Unmatched argument at index 1: 'x'
            uninstall --allow-scripts        | uninstall: Unknown option: '--allow-scripts'
            --allow-scripts install          | the options of install go after it
            install uninstall                | install: Unmatched argument at index 1: 'uninstall'
            """)
    void badInputIsAUsageErrorNamingTheArgument(String args, String message) {
        String[] argv = args.split(" ");
        for (int i = 0; i < argv.length; i++) {
            argv[i] = argv[i].replace("<empty>", "").replace("<blank>", " ");
        }
        ServiceCommandLine.Done done = assertInstanceOf(ServiceCommandLine.Done.class, parse(argv));
        assertEquals(ServiceMain.USAGE, done.exitCode());
        assertTrue(err().startsWith("wirefx-service: "), err());
        assertTrue(err().contains(message), err());
        assertTrue(err().contains("--help'."), "points to the help: " + err());
        assertEquals("", out(), "nothing on stdout");
    }

    @Test
    void helpListsEveryOptionWithThePlatformDefaultAndTheCommands() {
        assertEquals(new ServiceCommandLine.Done(ServiceMain.OK), parse("--help"));
        String help = out();
        assertTrue(help.startsWith("Usage: wirefx-service [-hV]"), help);
        String words = help.replaceAll("\\s+", " ");
        for (String s : List.of("--state-dir=DIR", "(default /etc/wirefx/tunnels)", "--socket=PATH",
                "(default /run/wirefx/wirefx.sock)", "--runtime-dir=DIR", "(default /run/wirefx)",
                "--admin-group=NAME", "(default wirefx-admin)", "--operator-group=NAME", "(default wirefx)",
                "--allow-scripts", "--uapi-dir=DIR|none", "(default /var/run/wireguard)", "-V, --version",
                "install", "uninstall", "Exit codes: 0 stopped", "3 cannot start")) {
            assertTrue(words.contains(s), s + " in\n" + help);
        }
        assertFalse(help.contains("${"), help);
        assertEquals("", err());
        assertTrue(help.lines().allMatch(l -> l.length() <= 100), help);
    }

    @Test
    void theCommandsHaveTheirOwnHelp() {
        assertEquals(new ServiceCommandLine.Done(ServiceMain.OK), parse("install", "--help"));
        assertTrue(out().startsWith("Usage: wirefx-service install"), out());
        assertTrue(out().contains("--allow-scripts"), out());
        outBytes.reset();
        assertEquals(new ServiceCommandLine.Done(ServiceMain.OK), parse("uninstall", "-h"));
        assertTrue(out().startsWith("Usage: wirefx-service uninstall"), out());
        assertFalse(out().contains("--state-dir"), out());
    }

    @Test
    void versionNamesTheBuildAndTheJava() {
        assertEquals(new ServiceCommandLine.Done(ServiceMain.OK), parse("--version"));
        String v = out().strip();
        assertTrue(v.matches("wirefx-service \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(WireFX, Java 25.*\\)"), v);
        assertEquals(v, ServiceCommandLine.version());
        outBytes.reset();
        parse("-V");
        assertEquals(v, out().strip());
    }
}
