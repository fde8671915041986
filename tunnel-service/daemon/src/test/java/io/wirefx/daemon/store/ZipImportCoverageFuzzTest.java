package io.wirefx.daemon.store;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of {@code .zip} import (Jazzer; docs/security.md): arbitrary bytes as an archive a user
 * hands to the service. The import never throws; it writes only {@code NAME.conf} files with mode 0600 directly in
 * the store directory (nothing beside or above it, no temporary file left), each of which loads as a valid config,
 * and it reports exactly the tunnels it stored.
 */
class ZipImportCoverageFuzzTest {
    private static Path root;

    private static Path root() throws IOException {
        if (root == null) {
            root = Files.createTempDirectory("wfx-zipfuzz");
        }
        return root;
    }

    @AfterAll
    static void deleteRoot() throws IOException {
        if (root != null) {
            try (Stream<Path> s = Files.walk(root)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @FuzzTest(maxDuration = "1m")
    void anyArchiveImportsOnlyValidTopLevelConfigs(FuzzedDataProvider data) throws Exception {
        boolean replace = data.consumeBoolean();
        byte[] zip = data.consumeRemainingAsBytes();
        Path dir = root().resolve("store");
        ConfigStore store = ConfigStore.open(dir);
        try {
            List<ImportOutcome> outcomes = store.importZip(zip, replace);
            assertTrue(!outcomes.isEmpty(), "every import reports something");
            List<String> stored = outcomes.stream().filter(ImportOutcome::ok).map(ImportOutcome::tunnel)
                    .distinct().sorted().toList();
            assertEquals(stored, store.names(), "reported = stored");
            try (Stream<Path> s = Files.list(root())) {
                assertEquals(List.of(dir), s.toList(), "nothing written beside the store");
            }
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.toList()) {
                    String file = p.getFileName().toString();
                    assertTrue(file.endsWith(".conf") && ConfigStore.isValidName(file.substring(0, file.length() - 5))
                            && Files.isRegularFile(p), "unexpected file " + file);
                    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
                }
            }
            for (String name : stored) {
                store.load(name);
            }
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.delete(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
    }
}
