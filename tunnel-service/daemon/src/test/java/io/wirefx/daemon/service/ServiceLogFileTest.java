package io.wirefx.daemon.service;

import io.wirefx.daemon.log.LogRing;
import io.wirefx.daemon.log.RotatingLogFile;
import io.wirefx.platform.PlatformPaths;
import io.wirefx.platform.ServiceHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The service writes its log to a file in the platform's log directory only where its host keeps no stderr. */
class ServiceLogFileTest {

    @TempDir
    Path tmp;

    private static ServiceHost host(boolean keepsOutput) {
        return new ServiceHost() {
            @Override
            public boolean keepsOutput() {
                return keepsOutput;
            }

            @Override
            public void ready() {
            }

            @Override
            public void stopping() {
            }

            @Override
            public String describe() {
                return keepsOutput ? "console" : "no console";
            }
        };
    }

    private PlatformPaths paths(Path logDir) {
        return new PlatformPaths(tmp.resolve("tunnels"), tmp.resolve("run"), tmp.resolve("s.sock").toString(), null,
                logDir);
    }

    @Test
    void withoutAConsoleTheLogGoesToTheFile() throws Exception {
        Path logs = tmp.resolve("Logs");
        LogRing ring = new LogRing();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Optional<RotatingLogFile> file = ServiceMain.logToFile(paths(logs), host(false), ring,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertTrue(file.isPresent());
        ring.warn("office", "handshake did not complete");
        file.get().close();
        String text = Files.readString(logs.resolve(ServiceMain.LOG_FILE));
        assertTrue(text.contains("service log file: " + logs.resolve(ServiceMain.LOG_FILE)), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT.*Z \\[WARN] office: handshake did not complete")),
                text);
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void whereStderrIsKeptThereIsNoFile() {
        Path logs = tmp.resolve("Logs");
        assertTrue(ServiceMain.logToFile(paths(logs), host(true), new LogRing(), System.err).isEmpty());
        assertFalse(Files.exists(logs));
        assertTrue(ServiceMain.logToFile(paths(null), host(false), new LogRing(), System.err).isEmpty());
    }

    @Test
    void aLogDirectoryThatCannotBeMadeIsSaidAndTheServiceRunsOn() throws Exception {
        Path blocker = Files.writeString(tmp.resolve("file"), "not a directory");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertTrue(ServiceMain.logToFile(paths(blocker.resolve("Logs")), host(false), new LogRing(),
                new PrintStream(err, true, StandardCharsets.UTF_8)).isEmpty());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("cannot write the log file in " + blocker.resolve("Logs")),
                err.toString(StandardCharsets.UTF_8));
    }
}
