package io.wirefx.daemon.ipc;

import io.wirefx.platform.unix.AccountDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Real Unix users and groups for a test run, with unique names ({@code wfxt<random>...}); {@link #close()} deletes
 * them all (call it from a finally/@AfterAll so it runs on failure too). Needs root, useradd and groupadd.
 */
final class TestAccounts implements AutoCloseable {
    final String prefix = "wfxt" + Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36 * 36 * 36), 36);
    private final List<String> users = new ArrayList<>();
    private final List<String> groups = new ArrayList<>();

    /** Why these tests cannot run here, or null. */
    static String unavailabilityCause() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "not root: cannot create test users";
        }
        for (String tool : List.of("useradd", "groupadd", "userdel", "groupdel", "setpriv", "getent")) {
            try {
                if (exec("sh", "-c", "command -v " + tool) != 0) {
                    return tool + " is not installed";
                }
            } catch (IOException e) {
                return "cannot run sh: " + e.getMessage();
            }
        }
        return null;
    }

    String group(String suffix) throws IOException {
        String name = prefix + suffix;
        check(exec("groupadd", name), "groupadd " + name);
        groups.add(name);
        return name;
    }

    /** A user without home directory, with {@code primary} as primary group (null: a new group of its own) and
     * {@code supplementary} groups. */
    String user(String suffix, String primary, String... supplementary) throws IOException {
        String name = prefix + suffix;
        List<String> cmd = new ArrayList<>(List.of("useradd", "-M", "-s", "/usr/sbin/nologin"));
        if (primary != null) {
            cmd.addAll(List.of("-N", "-g", primary));
        } else {
            cmd.add("-U");
        }
        if (supplementary.length > 0) {
            cmd.addAll(List.of("-G", String.join(",", supplementary)));
        }
        cmd.add(name);
        check(exec(cmd.toArray(String[]::new)), "useradd " + name);
        users.add(name);
        if (primary == null) {
            groups.add(name); // useradd -U made it
        }
        return name;
    }

    @Override
    public void close() {
        for (String u : users) {
            quietly("userdel", u);
        }
        for (String g : groups.reversed()) {
            if (new AccountDatabase(java.time.Duration.ZERO).group(g).isPresent()) { // userdel may have removed it
                quietly("groupdel", g);
            }
        }
    }

    private static void quietly(String... cmd) {
        try {
            exec(cmd);
        } catch (IOException ignored) {
            // best effort
        }
    }

    private static void check(int code, String what) throws IOException {
        if (code != 0) {
            throw new IOException(what + " failed with exit code " + code);
        }
    }

    static int exec(String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " hangs");
            }
            if (p.exitValue() != 0) {
                System.err.println(String.join(" ", cmd) + ": " + new String(out, StandardCharsets.UTF_8).trim());
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }
}
