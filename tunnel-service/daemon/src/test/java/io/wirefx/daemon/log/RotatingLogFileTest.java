package io.wirefx.daemon.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Size-based rotation of the service log file, its permissions, and masking on the way from the ring. */
class RotatingLogFileTest {

    @TempDir
    Path tmp;

    private static String line(int i) {
        return String.format("line %05d %s", i, "x".repeat(40)); // 51 characters + line separator
    }

    private static List<String> lines(Path p) throws Exception {
        return Files.exists(p) ? Files.readAllLines(p, StandardCharsets.UTF_8) : List.of();
    }

    @Test
    void rotatesBySizeKeepsTheNewestAndLosesNoneOfThem() throws Exception {
        Path file = tmp.resolve("logs/wirefx-service.log");
        long max = 1000;
        int keep = 3;
        int written = 500;
        try (RotatingLogFile log = RotatingLogFile.open(file, max, keep)) {
            for (int i = 0; i < written; i++) {
                log.append(line(i));
            }
        }
        List<String> all = new ArrayList<>();
        for (int n = keep; n >= 1; n--) {
            Path r = file.resolveSibling("wirefx-service.log." + n);
            assertTrue(Files.exists(r), r + " exists");
            assertTrue(Files.size(r) <= max, r + " is " + Files.size(r) + " bytes");
            assertTrue(Files.size(r) > max - 60, r + " was filled before it was rotated");
            all.addAll(lines(r));
        }
        assertFalse(Files.exists(file.resolveSibling("wirefx-service.log." + (keep + 1))), "only " + keep + " kept");
        assertTrue(Files.size(file) <= max);
        all.addAll(lines(file));
        assertEquals(line(written - 1), all.getLast(), "the newest line is in the current file");
        int first = written - all.size();
        for (int i = 0; i < all.size(); i++) {
            assertEquals(line(first + i), all.get(i), "the kept files hold one unbroken tail, in order");
        }
        assertTrue(all.size() >= keep * (max / 52), "about keep × maxBytes kept: " + all.size() + " lines");
    }

    @Test
    void reopeningAppendsAndCountsWhatIsThere() throws Exception {
        Path file = tmp.resolve("svc.log");
        try (RotatingLogFile log = RotatingLogFile.open(file, 200, 2)) {
            log.append(line(0));
            log.append(line(1));
        }
        try (RotatingLogFile log = RotatingLogFile.open(file, 200, 2)) {
            log.append(line(2));
            assertEquals(List.of(line(0), line(1), line(2)), lines(file));
            log.append(line(3)); // 4 × 52 > 200: the three earlier lines move to .1
        }
        assertEquals(List.of(line(0), line(1), line(2)), lines(tmp.resolve("svc.log.1")));
        assertEquals(List.of(line(3)), lines(file));
    }

    @Test
    void aLineLongerThanTheLimitGetsAFileOfItsOwn() throws Exception {
        Path file = tmp.resolve("svc.log");
        try (RotatingLogFile log = RotatingLogFile.open(file, 100, 1)) {
            log.append("short");
            log.append("y".repeat(300));
            log.append("after");
        }
        assertEquals(List.of("y".repeat(300)), lines(tmp.resolve("svc.log.1")));
        assertEquals(List.of("after"), lines(file));
    }

    @Test
    void theDirectoryAndFilesAreTheServiceAccountsOnly() throws Exception {
        Path file = tmp.resolve("new/dir/svc.log");
        try (RotatingLogFile log = RotatingLogFile.open(file, 100, 1)) {
            log.append(line(0));
            log.append(line(1));
        }
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(file.resolveSibling("svc.log.1"))));
        }
    }

    @Test
    void keysAreMaskedBeforeTheyReachTheFile() throws Exception {
        Path file = tmp.resolve("svc.log");
        String key = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=";
        LogRing ring = new LogRing();
        try (RotatingLogFile log = RotatingLogFile.open(file, 10_000, 1)) {
            ring.follow(e -> log.append(e.message()));
            ring.info("t", "PrivateKey = " + key);
        }
        String text = Files.readString(file);
        assertFalse(text.contains(key), text);
        assertTrue(text.contains(LogRing.MASK), text);
    }

    @Test
    void badLimitsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> RotatingLogFile.open(tmp.resolve("a.log"), 0, 1));
        assertThrows(IllegalArgumentException.class, () -> RotatingLogFile.open(tmp.resolve("a.log"), 10, 0));
    }
}
