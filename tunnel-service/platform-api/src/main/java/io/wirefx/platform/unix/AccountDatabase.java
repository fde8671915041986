package io.wirefx.platform.unix;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Users and groups as the system's name service sees them, through {@code getent passwd|group NAME} (so files,
 * LDAP, sssd... all count). Answers are cached for a short time so that a burst of connections costs few lookups
 * while membership changes still take effect within seconds.
 */
public class AccountDatabase {
    /** A passwd entry. */
    public record User(String name, long uid, long gid) {
    }

    /** A group entry with its listed (supplementary) members. */
    public record Group(String name, long gid, List<String> members) {
    }

    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9._][A-Za-z0-9._@-]{0,63}\\$?");
    private record Cached(Optional<String> line, long expiresNanos) {
    }

    private final Duration ttl;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public AccountDatabase(Duration ttl) {
        this.ttl = ttl;
    }

    public AccountDatabase() {
        this(Duration.ofSeconds(2));
    }

    /** The user named {@code nameOrUid} (a decimal uid works too). */
    public Optional<User> user(String nameOrUid) {
        return lookup("passwd", nameOrUid).flatMap(line -> {
            String[] f = line.split(":", -1);
            if (f.length < 4) {
                return Optional.empty();
            }
            try {
                return Optional.of(new User(f[0], Long.parseLong(f[2]), Long.parseLong(f[3])));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    /** The group named {@code nameOrGid}. */
    public Optional<Group> group(String nameOrGid) {
        return lookup("group", nameOrGid).flatMap(line -> {
            String[] f = line.split(":", -1);
            if (f.length < 4) {
                return Optional.empty();
            }
            try {
                List<String> members = f[3].isEmpty() ? List.of() : List.of(f[3].split(","));
                return Optional.of(new Group(f[0], Long.parseLong(f[2]), members));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    private Optional<String> lookup(String db, String key) {
        if (key == null || !SAFE_NAME.matcher(key).matches()) {
            return Optional.empty();
        }
        String cacheKey = db + ":" + key;
        long now = System.nanoTime();
        Cached c = cache.get(cacheKey);
        if (c != null && now - c.expiresNanos() < 0) {
            return c.line();
        }
        Optional<String> line = getent(db, key);
        cache.put(cacheKey, new Cached(line, now + ttl.toNanos()));
        return line;
    }

    /** Runs {@code getent DB KEY}; empty if not found or on any failure. Overridable for tests. */
    protected Optional<String> getent(String db, String key) {
        try {
            Process p = new ProcessBuilder("getent", db, key).redirectErrorStream(true).start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            if (p.exitValue() != 0) {
                return Optional.empty();
            }
            String first = out.lines().findFirst().orElse("");
            return first.isEmpty() ? Optional.empty() : Optional.of(first);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
