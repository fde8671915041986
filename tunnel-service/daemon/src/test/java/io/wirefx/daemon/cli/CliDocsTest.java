package io.wirefx.daemon.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The completion scripts and man page come from the same command model as the parser, and are well-formed. */
class CliDocsTest {
    private static final List<String> COMMANDS = List.of("genkey", "genpsk", "pubkey", "check", "run", "list", "up",
            "down", "import", "show", "log", "export");

    private static CliDocs docs() {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return new CliDocs(new CliMain(new ByteArrayInputStream(new byte[0]), sink, sink).commandLine());
    }

    @Test
    void everyCommandAndItsOptionsAppearInAllThree() {
        CliDocs d = docs();
        String bash = d.bash();
        String zsh = d.zsh();
        String man = d.manPage();
        for (String c : COMMANDS) {
            assertTrue(bash.contains(c), "bash completion lacks " + c);
            assertTrue(zsh.contains("    " + c + ")"), "zsh completion lacks " + c);
            assertTrue(man.contains(".B " + c), "man page lacks " + c);
        }
        for (String option : List.of("dry\\-run", "platform", "interface", "socket", "json", "timeout", "replace",
                "follow")) {
            assertTrue(man.contains(option), "man page lacks --" + option);
        }
        assertTrue(bash.contains("--dry-run") && bash.contains("--socket"), bash);
        assertTrue(zsh.startsWith("#compdef wirefx\n"), zsh);
        assertTrue(man.startsWith(".TH WIREFX 1"), man);
        assertTrue(man.contains(".SH EXIT STATUS"), man);
    }

    @Test
    void generatedScriptsParse(@TempDir Path dir) throws Exception {
        CliDocs.main(new String[]{dir.toString()});
        assertEquals(0, exitCode("bash", "-n", dir.resolve("wirefx.bash").toString()));
        if (Files.isExecutable(Path.of("/usr/bin/zsh")) || Files.isExecutable(Path.of("/bin/zsh"))) {
            assertEquals(0, exitCode("zsh", "-n", dir.resolve("_wirefx").toString()));
        }
        if (Files.isExecutable(Path.of("/usr/bin/groff"))) {
            assertEquals(0, exitCode("groff", "-man", "-Tutf8", "-ww", "-z", dir.resolve("wirefx.1").toString()));
            assertEquals(0, exitCode("groff", "-man", "-Tutf8", "-ww", "-z",
                    dir.resolve("wirefx-service.8").toString()));
        }
    }

    @Test
    void theServiceManPageHasEveryOptionWithItsDefaultAndTheCommands(@TempDir Path dir) throws Exception {
        CliDocs.main(new String[]{dir.toString()});
        String man = Files.readString(dir.resolve("wirefx-service.8"));
        assertTrue(man.startsWith(".TH WIREFX\\-SERVICE 8 "), man);
        for (String s : List.of(".B \\-\\-state\\-dir \\fIDIR\\fR\ntunnel configurations and the set of running tunnels "
                        + "(default /etc/wirefx/tunnels)",
                ".B \\-\\-socket \\fIPATH\\fR\nthe control socket (default /run/wirefx/wirefx.sock)",
                "\\-\\-runtime\\-dir", "\\-\\-admin\\-group", "\\-\\-operator\\-group", "\\-\\-allow\\-scripts",
                "\\-\\-uapi\\-dir \\fIDIR|none\\fR", "\\-V, \\-\\-version", ".B install\n", ".B uninstall\n",
                ".SH EXIT STATUS", ".BR wirefx (1)")) {
            assertTrue(man.contains(s), s + " in\n" + man);
        }
        assertTrue(!man.contains("${") && !man.contains("null"), man);
        if (Files.isExecutable(Path.of("/usr/bin/man"))) {
            Process p = new ProcessBuilder("man", "-l", "-Tutf8", dir.resolve("wirefx-service.8").toString())
                    .redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                    .replaceAll(".\b", "");
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertTrue(text.contains("--state-dir DIR") && text.contains("wirefx-service install"), text);
        }
    }

    @Test
    void helpForOneCommandAndUsageErrors() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliMain m = new CliMain(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, m.run(new String[]{"run", "--help"}));
        assertTrue(out.toString().contains("--dry-run") && out.toString().contains("--platform"), out.toString());
        assertEquals(0, m.run(new String[]{"help", "up"}));
        assertTrue(out.toString().contains("--timeout"), out.toString());
        assertEquals(2, m.run(new String[]{"genkey", "extra"}));
        assertEquals(2, m.run(new String[]{"run", "--platform", "linux", "wg0.conf"}));
        assertTrue(err.toString().contains("--platform and --interface go with --dry-run"), err.toString());
        assertEquals(2, m.run(new String[0]));
        assertTrue(err.toString().contains("Usage: wirefx"), err.toString());
        assertEquals(2, m.run(new String[]{"run", "--dry-run", "--allow-lan", "wg0.conf"}));
        assertTrue(err.toString().contains("--allow-lan goes with --block-untunneled"), err.toString());
        assertEquals(0, m.run(new String[]{"help", "set"}));
        assertTrue(out.toString().contains("block-untunneled on|off"), out.toString());
    }

    private static int exitCode(String... command) throws Exception {
        Process p = new ProcessBuilder(command).inheritIO().start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return p.exitValue();
    }
}
