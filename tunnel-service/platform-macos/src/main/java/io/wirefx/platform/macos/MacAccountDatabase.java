package io.wirefx.platform.macos;

import io.wirefx.platform.CommandRunner;
import io.wirefx.platform.unix.AccountDatabase;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Users and groups on macOS, where there is no {@code getent} and {@code /etc/group} is not authoritative (Open
 * Directory is): the answers come in {@code getent}'s line format from {@code id} for users and from
 * {@code dscl /Search -read /Groups/NAME PrimaryGroupID GroupMembership} for groups (the search path covers local
 * and directory accounts). The groups themselves are made with {@code dseditgroup} ({@code installers/macos}).
 *
 * <p>The caller's user and primary group come from the JDK's {@code SO_PEERCRED} on the Unix socket, which works on
 * macOS: {@code jdk.net.MacOSXSocketOptions.peerCredentialsSupported()} is true and its native side calls
 * {@code getpeereid}; it carries no supplementary groups, hence these lookups.
 */
public final class MacAccountDatabase extends AccountDatabase {

    private final CommandRunner runner;

    public MacAccountDatabase(CommandRunner runner) {
        this.runner = runner;
    }

    @Override
    protected Optional<String> getent(String db, String key) {
        try {
            return switch (db) {
                case "passwd" -> passwdLine(key);
                case "group" -> groupLine(key);
                default -> Optional.empty();
            };
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** {@code NAME:*:UID:GID::} from {@code id -un/-u/-g KEY} (KEY a name or a uid). */
    private Optional<String> passwdLine(String key) throws IOException {
        Optional<String> name = out(List.of("id", "-un", key));
        Optional<String> uid = out(List.of("id", "-u", key));
        Optional<String> gid = out(List.of("id", "-g", key));
        if (name.isEmpty() || uid.isEmpty() || gid.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(name.get() + ":*:" + uid.get() + ":" + gid.get() + "::");
    }

    /** {@code NAME:*:GID:MEMBER,MEMBER} from dscl ({@code key} a group name; a gid is looked up by name too). */
    private Optional<String> groupLine(String key) throws IOException {
        CommandRunner.CommandResult r = runner.run(List.of("dscl", "/Search", "-read", "/Groups/" + key,
                "PrimaryGroupID", "GroupMembership"));
        if (!r.succeeded()) {
            return Optional.empty();
        }
        String gid = null;
        String members = "";
        for (String line : r.stdout().lines().toList()) {
            if (line.startsWith("PrimaryGroupID:")) {
                gid = line.substring("PrimaryGroupID:".length()).strip();
            } else if (line.startsWith("GroupMembership:")) {
                members = String.join(",", line.substring("GroupMembership:".length()).strip().split("\\s+"));
            }
        }
        if (gid == null || !gid.matches("[0-9]+")) {
            return Optional.empty();
        }
        return Optional.of(key + ":*:" + gid + ":" + members);
    }

    private Optional<String> out(List<String> argv) throws IOException {
        CommandRunner.CommandResult r = runner.run(argv);
        String s = r.stdout().strip();
        return r.succeeded() && !s.isEmpty() && !s.contains(":") ? Optional.of(s) : Optional.empty();
    }
}
