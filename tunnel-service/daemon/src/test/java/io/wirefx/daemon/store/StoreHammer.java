package io.wirefx.daemon.store;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Child process of {@link ConfigStoreCrashTest}: opens the store at {@code args[0]} and rewrites the tunnels
 * {@code args[1..]} round-robin with ever higher versions until killed, printing {@code NAME VERSION} after each
 * write has returned.
 */
public final class StoreHammer {
    private StoreHammer() {
    }

    public static void main(String[] args) throws Exception {
        ConfigStore store = ConfigStore.open(Path.of(args[0]));
        List<String> names = List.of(args).subList(1, args.length);
        Map<String, Long> version = new HashMap<>();
        for (String n : names) {
            version.put(n, store.exists(n) ? TestConfigs.versionOf(store.read(n)) : 0L);
        }
        PrintStream out = System.out;
        out.println("ready " + store.staleTempFilesRemoved());
        out.flush();
        for (long i = 0; ; i++) {
            String n = names.get((int) (i % names.size()));
            long v = version.get(n) + 1;
            String text = TestConfigs.text(n, v);
            if (i % 7 == 3) {
                // also exercise rename: move away and back (both atomic renames)
                store.put(n, text);
                store.rename(n, n + "-mv");
                store.rename(n + "-mv", n);
            } else {
                store.put(n, text);
            }
            version.put(n, v);
            out.println(n + " " + v);
            out.flush();
        }
    }
}
