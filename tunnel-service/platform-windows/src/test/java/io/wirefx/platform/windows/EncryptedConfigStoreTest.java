package io.wirefx.platform.windows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EncryptedConfigStoreTest {

    /** A reversible stand-in for DPAPI: description length, description, then the bytes XORed. */
    static final class XorProtector implements ConfigProtector {
        @Override
        public byte[] protect(byte[] plain, String description) {
            byte[] d = description.getBytes(StandardCharsets.UTF_8);
            ByteBuffer b = ByteBuffer.allocate(4 + d.length + plain.length).putInt(d.length).put(d);
            for (byte x : plain) {
                b.put((byte) (x ^ 0x5a));
            }
            return b.array();
        }

        @Override
        public Unprotected unprotect(byte[] cipher) {
            ByteBuffer b = ByteBuffer.wrap(cipher);
            byte[] d = new byte[b.getInt()];
            b.get(d);
            byte[] plain = new byte[b.remaining()];
            for (int i = 0; i < plain.length; i++) {
                plain[i] = (byte) (b.get() ^ 0x5a);
            }
            return new Unprotected(plain, new String(d, StandardCharsets.UTF_8));
        }
    }

    @TempDir
    Path dir;

    static final String CONF = "[Interface]\nPrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n";

    @Test
    void storesEncryptedAndReplacesAtomically() throws Exception {
        EncryptedConfigStore store = new EncryptedConfigStore(dir, new XorProtector());
        store.save("office", CONF);
        byte[] onDisk = Files.readAllBytes(dir.resolve("office.conf.dpapi"));
        assertFalse(new String(onDisk, StandardCharsets.ISO_8859_1).contains("PrivateKey"), "not plaintext");
        assertEquals(CONF, store.load("office"));
        store.save("office", CONF + "# v2\n");
        assertEquals(CONF + "# v2\n", store.load("office"));
        try (var files = Files.list(dir)) {
            assertEquals(List.of("office.conf.dpapi"), files.map(p -> p.getFileName().toString()).toList(),
                    "no temporary file left");
        }
        assertEquals(List.of("office"), store.names());
        assertTrue(store.delete("office"));
    }

    @Test
    void refusesACiphertextOfAnotherTunnel() throws Exception {
        EncryptedConfigStore store = new EncryptedConfigStore(dir, new XorProtector());
        store.save("home", CONF);
        Files.copy(dir.resolve("home.conf.dpapi"), dir.resolve("office.conf.dpapi"));
        IOException e = assertThrows(IOException.class, () -> store.load("office"));
        assertTrue(e.getMessage().contains("encrypted for tunnel \"home\""), e.getMessage());
    }

    @Test
    void refusesPathsAsNames() {
        EncryptedConfigStore store = new EncryptedConfigStore(dir, new XorProtector());
        assertThrows(IllegalArgumentException.class, () -> store.save("..\\x", CONF));
        assertThrows(IllegalArgumentException.class, () -> store.load("../x"));
    }
}
