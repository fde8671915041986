package io.wirefx.daemon.store;

import io.wirefx.platform.ConfigProtection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store's files through a {@link ConfigProtection}: sealed on disk, opened on read, failures named and harmless. */
class ConfigStoreProtectionTest {

    /**
     * A reversible stand-in for DPAPI that binds the tunnel name as DPAPI's description does: magic, name length,
     * name, then the bytes XORed; {@link #open} refuses other magic and another tunnel's name.
     */
    static final class XorProtection implements ConfigProtection {
        static final byte[] MAGIC = "XSEAL".getBytes(StandardCharsets.US_ASCII);
        int sealed;

        @Override
        public String fileSuffix() {
            return ".conf.xor";
        }

        @Override
        public byte[] seal(String tunnel, byte[] plain) {
            sealed++;
            byte[] n = tunnel.getBytes(StandardCharsets.UTF_8);
            ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + n.length + plain.length).put(MAGIC).putInt(n.length)
                    .put(n);
            for (byte x : plain) {
                b.put((byte) (x ^ 0x5a));
            }
            return b.array();
        }

        @Override
        public byte[] open(String tunnel, byte[] stored) throws IOException {
            if (stored.length < MAGIC.length + 4 || !Arrays.equals(stored, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
                throw new IOException("not sealed by this machine");
            }
            ByteBuffer b = ByteBuffer.wrap(stored, MAGIC.length, stored.length - MAGIC.length);
            byte[] n = new byte[b.getInt()];
            b.get(n);
            String owner = new String(n, StandardCharsets.UTF_8);
            if (!owner.equals(tunnel)) {
                throw new IOException("sealed for tunnel " + owner);
            }
            byte[] plain = new byte[b.remaining()];
            for (int i = 0; i < plain.length; i++) {
                plain[i] = (byte) (b.get() ^ 0x5a);
            }
            return plain;
        }

        @Override
        public String toString() {
            return "xor";
        }
    }

    @TempDir
    Path dir;

    private final XorProtection xor = new XorProtection();

    @Test
    void theFileOnDiskIsSealedAndReadsBackAsTheText() throws Exception {
        ConfigStore store = ConfigStore.open(dir, xor);
        String text = TestConfigs.text("home", 1);
        store.create("home", text);
        Path file = dir.resolve("home.conf.xor");
        byte[] onDisk = Files.readAllBytes(file);
        assertFalse(new String(onDisk, StandardCharsets.ISO_8859_1).contains(TestConfigs.privateKey("home", 1)),
                "no private key in the clear");
        assertFalse(Files.exists(dir.resolve("home.conf")));
        assertEquals(text, store.read("home"));
        assertEquals(List.of("home"), store.names());
        assertEquals(1, xor.sealed);

        store.update("home", TestConfigs.text("home", 2));
        assertEquals(TestConfigs.text("home", 2), ConfigStore.open(dir, xor).read("home"), "reopened store");
    }

    @Test
    void aFileThatDoesNotOpenIsNamedAndKept() throws Exception {
        ConfigStore store = ConfigStore.open(dir, xor);
        store.create("good", TestConfigs.text("good", 1));
        Path bad = dir.resolve("bad.conf.xor");
        byte[] foreign = "sealed elsewhere: not ours".getBytes(StandardCharsets.UTF_8);
        Files.write(bad, foreign);

        assertEquals(List.of("bad", "good"), store.names(), "still listed");
        IOException e = assertThrows(IOException.class, () -> store.read("bad"));
        assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not sealed by this machine"), e.getMessage());
        assertThrows(IOException.class, () -> store.load("bad"));
        assertThrows(IOException.class, store::exportZip);
        assertArrayEquals(foreign, Files.readAllBytes(bad), "the file is left as it was");
        assertEquals(TestConfigs.text("good", 1), store.read("good"), "the others still open");

        store.delete("bad");
        assertEquals(List.of("good"), store.names());
    }

    @Test
    void aFileSealedForAnotherTunnelDoesNotOpenUnderThisName() throws Exception {
        ConfigStore store = ConfigStore.open(dir, xor);
        store.create("one", TestConfigs.text("one", 1));
        Files.copy(dir.resolve("one.conf.xor"), dir.resolve("two.conf.xor"));
        IOException e = assertThrows(IOException.class, () -> store.read("two"));
        assertTrue(e.getMessage().contains("sealed for tunnel one"), e.getMessage());
    }

    @Test
    void renameSealsForTheNewName() throws Exception {
        ConfigStore store = ConfigStore.open(dir, xor);
        store.create("old", TestConfigs.text("old", 1));
        store.rename("old", "new");
        assertEquals(TestConfigs.text("old", 1), store.read("new"));
        assertFalse(Files.exists(dir.resolve("old.conf.xor")));
        assertEquals(List.of("new"), store.names());
    }

    @Test
    void exportHoldsTheTexts() throws Exception {
        ConfigStore store = ConfigStore.open(dir, xor);
        store.create("a", TestConfigs.text("a", 1));
        store.create("b", TestConfigs.text("b", 1));
        Map<String, String> entries = new HashMap<>();
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(store.exportZip()))) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                entries.put(e.getName(), new String(z.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertEquals(Map.of("a.conf", TestConfigs.text("a", 1), "b.conf", TestConfigs.text("b", 1)), entries);
    }

    @Test
    void withoutProtectionTheFileIsTheText() throws Exception {
        ConfigStore store = ConfigStore.open(dir);
        store.create("plain", TestConfigs.text("plain", 1));
        assertEquals(TestConfigs.text("plain", 1), Files.readString(dir.resolve("plain.conf")));
    }
}
