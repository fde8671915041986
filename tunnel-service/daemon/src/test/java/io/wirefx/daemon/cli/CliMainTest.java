package io.wirefx.daemon.cli;

import io.wirefx.core.crypto.Key;
import io.wirefx.core.crypto.KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliMainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String stdin, String... args) {
        return new CliMain(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.US_ASCII)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
    }

    @Test
    void genkeyThenPubkeyMatchesX25519() {
        assertEquals(0, run("", "genkey"));
        String priv = out.toString().trim();
        assertEquals(44, priv.length());
        out.reset();
        assertEquals(0, run(priv + "\n", "pubkey"));
        assertEquals(KeyPair.fromPrivate(Key.fromBase64(priv)).publicKey().toBase64(), out.toString().trim());
    }

    @Test
    void pubkeyOfTheReferenceKey() {
        // Si of reference §9.7: clamp(00..1f) → 8f40c5ad...
        byte[] k = new byte[32];
        for (int i = 0; i < 32; i++) k[i] = (byte) i;
        assertEquals(0, run(Key.fromBytes(k).toBase64(), "pubkey"));
        assertEquals(Key.fromHex("8f40c5adb68f25624ae5b214ea767a6ec94d829d3d7b5e1ad1ba6f3e2138285f").toBase64(), out.toString().trim());
    }

    @Test
    void pubkeyRejectsGarbageWithoutEchoingIt() {
        assertEquals(1, run("not-a-key-SECRETISH", "pubkey"));
        assertTrue(err.toString().contains("invalid private key"));
        assertFalse(err.toString().contains("SECRETISH"));
    }

    @Test
    void checkReportsTheLineNumberAndExitCode(@TempDir Path dir) throws Exception {
        String key = KeyPair.generate(new java.security.SecureRandom()).privateKey().toBase64();
        String pub = KeyPair.generate(new java.security.SecureRandom()).publicKey().toBase64();
        Path good = dir.resolve("wg0.conf");
        Files.writeString(good, "[Interface]\nPrivateKey = " + key + "\nAddress = 10.0.0.1/24\n\n[Peer]\nPublicKey = " + pub
                + "\nAllowedIPs = 0.0.0.0/0\n");
        Path bad = dir.resolve("bad.conf");
        Files.writeString(bad, "[Interface]\nPrivateKey = " + key + "\n\n[Peer]\nPublicKey = " + pub
                + "\nAllowedIPs = 10.0.0.300/24\n");
        assertEquals(0, run("", "check", good.toString()));
        assertTrue(out.toString().contains("OK (1 peer)"));
        assertEquals(1, run("", "check", good.toString(), bad.toString()));
        assertTrue(err.toString().contains("bad.conf:6:"), err.toString());
        assertTrue(err.toString().contains("AllowedIPs"), err.toString());
        assertEquals(1, run("", "check", dir.resolve("missing.conf").toString()));
        assertEquals(2, run("", "check"));
        assertEquals(2, run("", "frobnicate"));
    }
}
