package io.wirefx.daemon.store;

import io.wirefx.core.config.Config;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Crash safety: a child JVM rewrites tunnels as fast as it can; the test kills it (SIGKILL) at random moments, over
 * and over. After every kill each file parses and is exactly the last version the child reported as written or the
 * one it was writing; the next open deletes the temporary files the kills left.
 */
class ConfigStoreCrashTest {
    private static final List<String> NAMES = List.of("wg0", "home", "office", "x.y-z");

    @TempDir
    Path tmp;

    @Test
    @Timeout(120)
    void killedWritersLeaveOldOrNewFiles() throws Exception {
        run(6, 17);
    }

    @Test
    @Tag("heavy")
    @Timeout(1800)
    void killedWritersLeaveOldOrNewFilesManyTimes() throws Exception {
        run(80, 4242);
    }

    static List<String> javaCommand(String mainClass) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), mainClass));
    }

    private void run(int rounds, long seed) throws Exception {
        Path dir = tmp.resolve("tunnels");
        Random random = new Random(seed);
        Map<String, Long> committed = new HashMap<>();
        NAMES.forEach(n -> committed.put(n, 0L));
        int staleSeen = 0;
        int writesSeen = 0;
        for (int round = 0; round < rounds; round++) {
            List<String> cmd = javaCommand(StoreHammer.class.getName());
            cmd.add(dir.toString());
            cmd.addAll(NAMES);
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String ready = out.readLine();
            assertTrue(ready != null && ready.startsWith("ready "), "child did not start: " + ready);
            staleSeen += Integer.parseInt(ready.substring(6));
            // let it write a little (at least one line), then kill it at a random moment
            String first = out.readLine();
            assertTrue(first != null, "child wrote nothing");
            List<String> lines = new ArrayList<>(List.of(first));
            CompletableFuture<List<String>> rest = CompletableFuture.supplyAsync(() -> {
                List<String> l = new ArrayList<>();
                try {
                    String s;
                    while ((s = out.readLine()) != null) {
                        l.add(s);
                    }
                } catch (IOException ignored) {
                    // pipe closed by the kill
                }
                return l;
            });
            Thread.sleep(random.nextInt(120));
            // SIGKILL through the handle: Process.destroyForcibly() also closes our end of the pipe, and the lines
            // still in it (writes the child reported) would be lost.
            p.toHandle().destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            lines.addAll(rest.get(30, TimeUnit.SECONDS));
            writesSeen += lines.size();

            Map<String, Long> reported = new HashMap<>(committed);
            for (String l : lines) {
                String[] parts = l.split(" ");
                reported.put(parts[0], Long.parseLong(parts[1]));
            }
            for (String n : NAMES) {
                Path f = dir.resolve(n + ".conf");
                long last = reported.get(n);
                if (!Files.exists(f)) {
                    // killed between the two renames of the move-away-and-back step
                    Path moved = dir.resolve(n + "-mv.conf");
                    assertTrue(Files.exists(moved), n + " vanished in round " + round);
                    Files.move(moved, f);
                }
                String text = Files.readString(f, StandardCharsets.UTF_8);
                Config.parse(text); // must parse
                long v = TestConfigs.versionOf(text);
                assertEquals(TestConfigs.text(n, v), text, "torn file " + n + " in round " + round);
                assertTrue(v == last || v == last + 1,
                        n + ": version " + v + " but the child last reported " + last + " (round " + round + ")");
                committed.put(n, v);
            }
        }
        ConfigStore store = ConfigStore.open(dir);
        staleSeen += store.staleTempFilesRemoved();
        try (var files = Files.list(dir)) {
            assertEquals(NAMES.size(), files.count(), "only the tunnels remain");
        }
        assertTrue(writesSeen >= rounds, "the child must have written something");
        System.out.println("crash test: " + rounds + " kills, " + writesSeen + " writes reported, " + staleSeen
                + " stale temp files cleaned");
    }
}
