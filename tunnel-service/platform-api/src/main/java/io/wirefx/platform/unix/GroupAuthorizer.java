package io.wirefx.platform.unix;

import io.wirefx.ipc.Role;

import java.util.Objects;
import java.util.Optional;

/**
 * The production policy: uid 0 is {@link Role#ADMIN}; a member of the admin group ({@code wirefx-admin}) is ADMIN;
 * a member of the operator group ({@code wirefx}) is {@link Role#OPERATOR}; anyone else is refused.
 *
 * <p>"Member" means: the connecting process's primary group (from SO_PEERCRED) is the group, or the user's primary
 * group in passwd is the group, or the user is listed among the group's members in the group database
 * ({@code getent group}). SO_PEERCRED carries no supplementary groups, so they come from the database, not from the
 * process: a process that dropped its supplementary groups still counts as its user.
 */
public final class GroupAuthorizer implements Authorizer {
    public static final String DEFAULT_ADMIN_GROUP = "wirefx-admin";
    public static final String DEFAULT_OPERATOR_GROUP = "wirefx";

    private final String adminGroup;
    private final String operatorGroup;
    private final AccountDatabase accounts;

    public GroupAuthorizer(String adminGroup, String operatorGroup, AccountDatabase accounts) {
        this.adminGroup = Objects.requireNonNull(adminGroup, "adminGroup");
        this.operatorGroup = Objects.requireNonNull(operatorGroup, "operatorGroup");
        this.accounts = Objects.requireNonNull(accounts, "accounts");
    }

    public String adminGroup() {
        return adminGroup;
    }

    public String operatorGroup() {
        return operatorGroup;
    }

    @Override
    public Optional<Role> roleOf(String user, String primaryGroup) {
        Optional<AccountDatabase.User> u = accounts.user(user);
        if (u.isPresent() ? u.get().uid() == 0 : user.equals("root") || user.equals("0")) {
            return Optional.of(Role.ADMIN);
        }
        if (isMember(adminGroup, user, primaryGroup, u)) {
            return Optional.of(Role.ADMIN);
        }
        if (isMember(operatorGroup, user, primaryGroup, u)) {
            return Optional.of(Role.OPERATOR);
        }
        return Optional.empty();
    }

    private boolean isMember(String groupName, String user, String primaryGroup, Optional<AccountDatabase.User> u) {
        Optional<AccountDatabase.Group> g = accounts.group(groupName);
        if (g.isEmpty()) {
            return false;
        }
        AccountDatabase.Group group = g.get();
        String userName = u.map(AccountDatabase.User::name).orElse(user);
        return group.name().equals(primaryGroup)
                || Long.toString(group.gid()).equals(primaryGroup)
                || u.map(x -> x.gid() == group.gid()).orElse(false)
                || group.members().contains(userName);
    }
}
