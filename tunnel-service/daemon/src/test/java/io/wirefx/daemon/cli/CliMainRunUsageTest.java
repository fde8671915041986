package io.wirefx.daemon.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code wirefx run} argument handling and its entry in the usage text (the run itself: TunnelRunTest). */
class CliMainRunUsageTest {

    private static String[] invoke(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new CliMain(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
        return new String[]{Integer.toString(code), out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void runNeedsExactlyOneFile() {
        String[] r = invoke("run");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("run takes exactly one argument"), r[2]);
        assertEquals("2", invoke("run", "a.conf", "b.conf")[0]);
    }

    @Test
    void usageDocumentsRunAndItsExitCodes() {
        String[] r = invoke("help");
        assertEquals("0", r[0]);
        assertTrue(r[1].contains("run FILE.conf"), r[1]);
        assertTrue(r[1].contains("3 cannot start") && r[1].contains("4 bring-up failed"), r[1]);
    }
}
