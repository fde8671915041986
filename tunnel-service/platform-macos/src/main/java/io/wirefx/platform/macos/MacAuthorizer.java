package io.wirefx.platform.macos;

import io.wirefx.daemon.ipc.Authorizer;
import io.wirefx.daemon.netconfig.CommandRunner;
import io.wirefx.ipc.Role;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The group-based roles on macOS: root is {@link Role#ADMIN}, a member of the admin group ({@code wirefx-admin}) is
 * ADMIN, of the operator group ({@code wirefx}) {@link Role#OPERATOR}, anyone else is refused. macOS has no
 * {@code getent} and its {@code /etc/group} is not authoritative (Open Directory is), so membership comes from
 * {@code id -Gn USER}, which asks Open Directory through {@code getgrouplist} and lists the primary and all
 * supplementary groups. The groups are made with {@code dseditgroup} (see {@code installers/macos}).
 *
 * <p>The caller's user and primary group come from the JDK's {@code SO_PEERCRED} on the Unix socket: on macOS the
 * JDK implements it ({@code jdk.net.MacOSXSocketOptions.peerCredentialsSupported()} is true; its native side calls
 * {@code getpeereid}), giving the effective uid and gid, no PID and no supplementary groups, hence the lookup here.
 */
public final class MacAuthorizer implements Authorizer {

    public static final String DEFAULT_ADMIN_GROUP = "wirefx-admin";
    public static final String DEFAULT_OPERATOR_GROUP = "wirefx";
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9._][A-Za-z0-9._@-]{0,63}");

    private final String adminGroup;
    private final String operatorGroup;
    private final CommandRunner runner;

    public MacAuthorizer(String adminGroup, String operatorGroup, CommandRunner runner) {
        this.adminGroup = Objects.requireNonNull(adminGroup);
        this.operatorGroup = Objects.requireNonNull(operatorGroup);
        this.runner = Objects.requireNonNull(runner);
    }

    @Override
    public Optional<Role> roleOf(String user, String primaryGroup) {
        if (user.equals("root") || user.equals("0")) {
            return Optional.of(Role.ADMIN);
        }
        Set<String> groups = new java.util.HashSet<>(groupsOf(user));
        groups.add(primaryGroup);
        if (groups.contains(adminGroup)) {
            return Optional.of(Role.ADMIN);
        }
        if (groups.contains(operatorGroup)) {
            return Optional.of(Role.OPERATOR);
        }
        return Optional.empty();
    }

    /** {@code id -Gn USER}: every group of the user by name; empty for an unknown or unsafe name, or on failure. */
    List<String> groupsOf(String user) {
        if (!SAFE_NAME.matcher(user).matches()) {
            return List.of();
        }
        try {
            CommandRunner.CommandResult r = runner.run(List.of("id", "-Gn", user));
            if (!r.succeeded()) {
                return List.of();
            }
            return List.of(r.stdout().strip().split("\\s+"));
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The commands that create the two groups and add {@code user} to the operator group (for the installer). */
    public List<List<String>> groupSetupCommands(String user) {
        return List.of(
                List.of("dseditgroup", "-o", "create", "-r", "WireFX administrators", adminGroup),
                List.of("dseditgroup", "-o", "create", "-r", "WireFX operators", operatorGroup),
                List.of("dseditgroup", "-o", "edit", "-a", user, "-t", "user", operatorGroup));
    }
}
