package io.wirefx.installers;

import io.wirefx.core.crypto.Key;
import io.wirefx.core.crypto.KeyPair;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's first key command on a fresh clone of this checkout's commit, with no build present: both
 * {@code bin/wirefx} processes of the pipeline start the first-run build at once; one builds, the other waits, and a
 * matching key pair comes out; then (as root) the README's {@code bin/wirefx demo} runs there as written. Heavy: it
 * builds the daemon and its modules from scratch (about half a minute idle).
 */
@Tag("heavy")
class FirstRunTest {

    private static final Pattern KEY = Pattern.compile("^[A-Za-z0-9+/]{43}=$", Pattern.MULTILINE);

    @TempDir
    Path tmp;

    @Test
    void concurrentFirstRunBuildsOnceAndPrintsAKeyPair() throws Exception {
        Path clone = tmp.resolve("wirefx");
        Processes.Result cloned = Processes.run(tmp, 120, "git", "clone", "--quiet", "--no-hardlinks",
                Processes.repoRoot().toString(), clone.toString());
        assertEquals(0, cloned.exitCode(), cloned::both);
        assertFalse(Files.exists(clone.resolve("tunnel-service/daemon/target")), "a fresh clone has no build");

        Processes.Result r = Processes.run(clone, 900, "bash", "-c",
                "set -o pipefail; bin/wirefx genkey | tee private.key | bin/wirefx pubkey");

        assertEquals(0, r.exitCode(), r::both);
        String privateText = Files.readString(clone.resolve("private.key")).strip();
        assertTrue(KEY.matcher(privateText).matches(), "private key: " + privateText);
        String publicText = r.out().strip();
        assertTrue(KEY.matcher(publicText).matches(), "public key: " + r.both());
        try (Key priv = Key.fromBase64(privateText)) {
            assertEquals(KeyPair.fromPrivate(priv).publicKey().toBase64(), publicText);
        }
        assertEquals(1, count(r.err(), "building tunnel-service/daemon"), "exactly one build:\n" + r.err());
        assertEquals(1, count(r.err(), "waiting for the build"), "the other process waited:\n" + r.err());
        assertFalse(r.err().contains("Exception"), r.err());

        // The README's set-up command, as written, in the same fresh clone (root only: it makes namespaces).
        if (Processes.isRoot() && Processes.onPath("ip") && Processes.onPath("ping")) {
            Processes.Result demo = Processes.run(clone, 300, "bin/wirefx", "demo");
            assertEquals(0, demo.exitCode(), demo::both);
            assertTrue(demo.out().contains("handshake done"), demo.out());
            assertTrue(demo.out().contains("tunnel: demo (RUNNING)"), demo.out());
        }
    }

    private static int count(String text, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
