package io.wirefx.daemon.store;

import io.wirefx.core.config.BadConfigException;
import io.wirefx.core.config.Config;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigStoreTest {
    @TempDir
    Path tmp;
    Path dir;
    ConfigStore store;

    @BeforeEach
    void open() throws IOException {
        dir = tmp.resolve("etc/wirefx/tunnels");
        store = ConfigStore.open(dir);
    }

    private static StoreException.Reason reason(ThrowingRunnable r) {
        return assertThrows(StoreException.class, r::run).reason();
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void createsTheDirectoryPrivate() throws IOException {
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        ConfigStore.open(dir);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        Path file = tmp.resolve("plain");
        Files.writeString(file, "x");
        assertThrows(IOException.class, () -> ConfigStore.open(file));
    }

    @Test
    void createReadUpdateRenameDelete() throws Exception {
        assertEquals(List.of(), store.names());
        String v1 = TestConfigs.text("wg0", 1);
        Config c = store.create("wg0", v1);
        assertEquals(Config.parse(v1), c);
        assertEquals(v1, store.read("wg0"), "stored verbatim, comments included");
        assertEquals(Config.parse(v1), store.load("wg0"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("wg0.conf"))));
        assertEquals(StoreException.Reason.ALREADY_EXISTS, reason(() -> store.create("wg0", v1)));

        String v2 = TestConfigs.text("wg0", 2);
        store.update("wg0", v2);
        assertEquals(v2, store.read("wg0"));
        assertEquals(StoreException.Reason.NOT_FOUND, reason(() -> store.update("nope", v2)));

        store.create("b", TestConfigs.text("b", 1));
        assertEquals(List.of("b", "wg0"), store.names());
        assertEquals(StoreException.Reason.ALREADY_EXISTS, reason(() -> store.rename("wg0", "b")));
        store.rename("wg0", "home");
        assertEquals(List.of("b", "home"), store.names());
        assertEquals(v2, store.read("home"));
        assertEquals(StoreException.Reason.NOT_FOUND, reason(() -> store.read("wg0")));
        assertEquals(StoreException.Reason.NOT_FOUND, reason(() -> store.rename("wg0", "x")));
        assertEquals(StoreException.Reason.INVALID_NAME, reason(() -> store.rename("home", "a/b")));

        store.delete("home");
        assertEquals(List.of("b"), store.names());
        assertEquals(StoreException.Reason.NOT_FOUND, reason(() -> store.delete("home")));
        store.put("b", v1);
        store.put("c", v1);
        assertEquals(List.of("b", "c"), store.names());
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temp files left behind");
        }
    }

    @Test
    void rejectsInvalidNames() {
        String text = TestConfigs.text("x", 1);
        for (String bad : new String[] {"", ".", "..", "a/b", "../etc", "wg 0", "thirty-three-characters-long-name",
                "CON", "aux.x", "wg0\n", "ü", "a\\b"}) {
            assertEquals(StoreException.Reason.INVALID_NAME, reason(() -> store.create(bad, text)), bad);
            assertEquals(StoreException.Reason.INVALID_NAME, reason(() -> store.read(bad)), bad);
        }
        assertTrue(ConfigStore.isValidName("a.b-c_d=e+f"));
        assertTrue(ConfigStore.isValidName("home-office-vpn-2026"), "longer than a Linux interface name");
    }

    @Test
    void invalidConfigsAreRejectedWithLineAndTheOldVersionStays() throws Exception {
        String v1 = TestConfigs.text("wg0", 1);
        store.create("wg0", v1);
        String broken = v1.replace("AllowedIPs = 10.0.1.0/24", "AllowedIPs = 10.0.1.0/33");
        StoreException e = assertThrows(StoreException.class, () -> store.update("wg0", broken));
        assertEquals(StoreException.Reason.INVALID_CONFIG, e.reason());
        BadConfigException bce = e.configError().orElseThrow();
        assertEquals(BadConfigException.Reason.INVALID_CIDR, bce.reason());
        assertEquals(lineOf(broken, "/33"), bce.lineNumber());
        assertEquals(v1, store.read("wg0"));
        assertEquals(StoreException.Reason.INVALID_CONFIG, reason(() -> store.create("x", "garbage")));
        assertFalse(store.exists("x"));
    }

    private static int lineOf(String text, String needle) {
        int idx = text.indexOf(needle);
        return (int) text.substring(0, idx).chars().filter(ch -> ch == '\n').count() + 1;
    }

    @Test
    void handEditedInvalidFilesAreReportedOnLoad() throws Exception {
        Files.writeString(dir.resolve("bad.conf"), "[Interface]\nPrivateKey = nope\n");
        Files.writeString(dir.resolve("notes.txt"), "ignored");
        Files.writeString(dir.resolve("bad name.conf"), "ignored");
        assertEquals(List.of("bad"), store.names());
        StoreException e = assertThrows(StoreException.class, () -> store.load("bad"));
        assertEquals(StoreException.Reason.INVALID_CONFIG, e.reason());
        assertEquals(2, e.configError().orElseThrow().lineNumber());
        Files.write(dir.resolve("enc.conf"), new byte[] {'#', '\n', (byte) 0xC3, '\n'});
        assertEquals(2, assertThrows(StoreException.class, () -> store.read("enc")).configError().orElseThrow()
                .lineNumber());
    }

    @Test
    void openDeletesStaleTempFilesOnly() throws Exception {
        store.create("wg0", TestConfigs.text("wg0", 1));
        Files.writeString(dir.resolve(".wirefx-0123456789abcdef.tmp"), "[Interface]\nPrivateKey = torn");
        Files.writeString(dir.resolve(".wirefx-x.tmp"), "");
        Files.writeString(dir.resolve("keep.tmp"), "not ours");
        ConfigStore reopened = ConfigStore.open(dir);
        assertEquals(2, reopened.staleTempFilesRemoved());
        assertTrue(Files.exists(dir.resolve("keep.tmp")));
        assertEquals(List.of("wg0"), reopened.names());
    }

    @Test
    void importsSingleFilesByFileName() throws Exception {
        ImportOutcome ok = store.importFile("wg1.conf", TestConfigs.text("wg1", 1).getBytes(StandardCharsets.UTF_8),
                false);
        assertTrue(ok.ok());
        assertEquals("wg1", ok.tunnel());
        ImportOutcome dup = store.importFile("wg1.conf", TestConfigs.text("wg1", 2).getBytes(StandardCharsets.UTF_8),
                false);
        assertEquals(StoreException.Reason.ALREADY_EXISTS, dup.error());
        ImportOutcome replaced = store.importFile("wg1.conf",
                TestConfigs.text("wg1", 2).getBytes(StandardCharsets.UTF_8), true);
        assertTrue(replaced.ok());
        assertTrue(replaced.replaced());
        assertEquals(TestConfigs.text("wg1", 2), store.read("wg1"));
        assertEquals(StoreException.Reason.INVALID_NAME, store.importFile("wg1.txt", new byte[0], false).error());
        assertEquals(StoreException.Reason.INVALID_NAME, store.importFile("../x.conf", new byte[0], false).error());
        ImportOutcome enc = store.importFile("e.conf", new byte[] {'\n', '\n', (byte) 0xFF}, false);
        assertEquals(StoreException.Reason.INVALID_CONFIG, enc.error());
        assertEquals(3, enc.configError().lineNumber());
        assertEquals(BadConfigException.Reason.INVALID_ENCODING, enc.configError().reason());
    }

    static byte[] zip(Object... nameThenContent) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(buf)) {
            for (int i = 0; i < nameThenContent.length; i += 2) {
                z.putNextEntry(new ZipEntry((String) nameThenContent[i]));
                Object c = nameThenContent[i + 1];
                if (c instanceof String s) {
                    z.write(s.getBytes(StandardCharsets.UTF_8));
                } else if (c instanceof byte[] b) {
                    z.write(b);
                }
                z.closeEntry();
            }
        }
        return buf.toByteArray();
    }

    @Test
    void zipImportKeepsGoodEntriesAndReportsBadOnes() throws Exception {
        String broken = TestConfigs.text("bad", 1).replace("DNS = 10.0.0.53", "DNS = 10.0.0.999");
        byte[] zip = zip(
                "a.conf", TestConfigs.text("a", 1),
                "bad.conf", broken,
                "../evil.conf", TestConfigs.text("e", 1),
                "/abs.conf", TestConfigs.text("e", 1),
                "sub/", null,
                "sub/nested.conf", TestConfigs.text("e", 1),
                "..\\win.conf", TestConfigs.text("e", 1),
                "README.txt", "hello",
                "b.conf", TestConfigs.text("b", 1),
                "c.conf", TestConfigs.text("c", 2));
        store.create("c", TestConfigs.text("c", 1));
        List<ImportOutcome> out = store.importZip(zip, false);
        assertEquals(10, out.size(), out.toString());
        assertTrue(out.get(0).ok());
        assertEquals(StoreException.Reason.INVALID_CONFIG, out.get(1).error());
        assertEquals(lineOf(broken, "10.0.0.999"), out.get(1).configError().lineNumber());
        assertTrue(out.get(1).message().startsWith("line " + lineOf(broken, "10.0.0.999")), out.get(1).message());
        for (int i = 2; i <= 7; i++) {
            assertEquals(StoreException.Reason.INVALID_NAME, out.get(i).error(), out.get(i).toString());
        }
        assertTrue(out.get(8).ok());
        assertEquals(StoreException.Reason.ALREADY_EXISTS, out.get(9).error());
        assertEquals(List.of("a", "b", "c"), store.names());
        assertEquals(TestConfigs.text("c", 1), store.read("c"));
        try (var files = Files.list(tmp)) {
            assertEquals(List.of("etc"), files.map(p -> p.getFileName().toString()).toList(), "nothing escaped");
        }
        List<ImportOutcome> again = store.importZip(zip(("a.conf"), TestConfigs.text("a", 3)), true);
        assertTrue(again.getFirst().ok());
        assertTrue(again.getFirst().replaced());
    }

    @Test
    void zipBombsAndGarbageAreRefused() throws Exception {
        // one entry inflating to 50 MB (about 50 KB compressed): refused after reading 1 MiB + 1
        byte[] zeros = new byte[50 << 20];
        byte[] bomb = zip("first.conf", TestConfigs.text("first", 1), "bomb.conf", zeros,
                "after.conf", TestConfigs.text("after", 1));
        assertTrue(bomb.length < 200_000);
        List<ImportOutcome> out = store.importZip(bomb, false);
        assertTrue(out.get(0).ok());
        assertEquals(StoreException.Reason.TOO_LARGE, out.get(1).error());
        assertEquals("(archive)", out.getLast().entry());
        assertEquals(List.of("first"), store.names(), "import stopped at the bomb");

        // many small entries: the total limit stops it
        Object[] many = new Object[2 * 20];
        byte[] mib = new byte[1 << 20];
        for (int i = 0; i < 20; i++) {
            many[2 * i] = "m" + i + ".conf";
            many[2 * i + 1] = mib;
        }
        List<ImportOutcome> total = store.importZip(zip(many), false);
        assertEquals(StoreException.Reason.TOO_LARGE, total.getLast().error());
        assertTrue(total.size() <= 18);

        Object[] lots = new Object[2 * (ConfigStore.MAX_ARCHIVE_ENTRIES + 5)];
        for (int i = 0; i < lots.length / 2; i++) {
            lots[2 * i] = "x" + i + ".txt";
            lots[2 * i + 1] = "";
        }
        List<ImportOutcome> count = store.importZip(zip(lots), false);
        assertEquals(ConfigStore.MAX_ARCHIVE_ENTRIES + 1, count.size());
        assertEquals(StoreException.Reason.TOO_LARGE, count.getLast().error());

        for (byte[] garbage : new byte[][] {new byte[0], "not a zip".getBytes(), new byte[1000]}) {
            List<ImportOutcome> g = store.importZip(garbage, false);
            assertEquals(1, g.size());
            assertEquals(StoreException.Reason.INVALID_ARCHIVE, g.getFirst().error());
        }
        byte[] good = zip("t1.conf", TestConfigs.text("t1", 1), "t2.conf", TestConfigs.text("t2", 1));
        byte[] truncated = java.util.Arrays.copyOf(good, good.length / 2 + 40);
        List<ImportOutcome> t = store.importZip(truncated, false);
        assertEquals(StoreException.Reason.INVALID_ARCHIVE, t.getLast().error());
        assertEquals(List.of("first"), store.names().stream().filter(n -> !n.startsWith("m")).toList()
                .subList(0, 1));
    }

    @Test
    void exportRoundTripsThroughImport() throws Exception {
        for (String n : List.of("wg0", "home", "office")) {
            store.create(n, TestConfigs.text(n, n.length()));
        }
        byte[] zip = store.exportZip();
        ConfigStore other = ConfigStore.open(tmp.resolve("other"));
        List<ImportOutcome> out = other.importZip(zip, false);
        assertEquals(List.of("home.conf", "office.conf", "wg0.conf"), out.stream().map(ImportOutcome::entry).toList());
        assertTrue(out.stream().allMatch(ImportOutcome::ok));
        for (String n : store.names()) {
            assertEquals(store.read(n), other.read(n));
        }
        assertArrayEquals(zip, other.exportZip().length == zip.length ? zip : other.exportZip());
        assertNull(other.importZip(zip, true).stream().filter(o -> !o.ok()).findAny().orElse(null));
    }

    @Test
    void concurrentWritersAndReadersOnlySeeWholeVersions() throws Exception {
        List<String> names = List.of("t0", "t1", "t2");
        for (String n : names) {
            store.create(n, TestConfigs.text(n, 0));
        }
        List<Future<?>> futures = new ArrayList<>();
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
            for (int w = 0; w < 3; w++) {
                String n = names.get(w);
                futures.add(pool.submit(() -> {
                    for (int v = 1; v <= 40; v++) {
                        store.update(n, TestConfigs.text(n, v));
                    }
                    return null;
                }));
            }
            for (int r = 0; r < 3; r++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 60; i++) {
                        for (String n : store.names()) {
                            String text = store.read(n);
                            long v = TestConfigs.versionOf(text);
                            if (!text.equals(TestConfigs.text(n, v))) {
                                problems.add(n + " has a torn version");
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        assertEquals(List.of(), problems);
        for (String n : names) {
            assertEquals(TestConfigs.text(n, 40), store.read(n));
        }
    }
}
