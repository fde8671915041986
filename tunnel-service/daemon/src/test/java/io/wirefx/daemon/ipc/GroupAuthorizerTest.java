package io.wirefx.daemon.ipc;

import io.wirefx.platform.unix.AccountDatabase;
import io.wirefx.platform.unix.GroupAuthorizer;
import io.wirefx.ipc.Role;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The group policy against a fixed account database (the real-user test covers getent itself). */
class GroupAuthorizerTest {
    final List<String> lookups = new ArrayList<>();
    final Map<String, String> entries = Map.of(
            "passwd:root", "root:x:0:0:root:/root:/bin/bash",
            "passwd:0", "root:x:0:0:root:/root:/bin/bash",
            "passwd:alice", "alice:x:1001:1001::/home/alice:/bin/sh",
            "passwd:bob", "bob:x:1002:500::/home/bob:/bin/sh",
            "passwd:carol", "carol:x:1003:1003::/home/carol:/bin/sh",
            "passwd:dave", "dave:x:1004:1004::/home/dave:/bin/sh",
            "group:wirefx-admin", "wirefx-admin:x:600:alice",
            "group:wirefx", "wirefx:x:500:dave,alice");
    final AccountDatabase db = new AccountDatabase(Duration.ofHours(1)) {
        @Override
        protected Optional<String> getent(String database, String key) {
            lookups.add(database + ":" + key);
            return Optional.ofNullable(entries.get(database + ":" + key));
        }
    };
    final GroupAuthorizer auth = new GroupAuthorizer("wirefx-admin", "wirefx", db);

    @Test
    void roles() {
        assertEquals(Optional.of(Role.ADMIN), auth.roleOf("root", "root"));
        assertEquals(Optional.of(Role.ADMIN), auth.roleOf("0", "0"), "uid without a name");
        assertEquals(Optional.of(Role.ADMIN), auth.roleOf("alice", "alice"), "listed in the admin group");
        assertEquals(Optional.of(Role.OPERATOR), auth.roleOf("bob", "bob"), "primary group in passwd");
        assertEquals(Optional.of(Role.OPERATOR), auth.roleOf("dave", "dave"), "listed in the operator group");
        assertEquals(Optional.of(Role.OPERATOR), auth.roleOf("carol", "wirefx"), "process runs with the group");
        assertEquals(Optional.empty(), auth.roleOf("carol", "carol"));
        assertEquals(Optional.empty(), auth.roleOf("mallory", "mallory"), "unknown user");
        assertEquals(Optional.empty(), auth.roleOf("x;rm -rf /", "x"), "odd names are never looked up");
        assertEquals(Optional.empty(), auth.roleOf("-n", "x"), "option-like names are never looked up");
    }

    @Test
    void missingGroupsGrantNothingAndLookupsAreCached() {
        GroupAuthorizer none = new GroupAuthorizer("nope-admin", "nope", db);
        assertEquals(Optional.empty(), none.roleOf("alice", "alice"));
        assertEquals(Optional.of(Role.ADMIN), none.roleOf("root", "root"));
        int before = lookups.size();
        for (int i = 0; i < 10; i++) {
            none.roleOf("alice", "alice");
        }
        assertEquals(before, lookups.size());
        assertEquals(Optional.of(new AccountDatabase.Group("wirefx", 500, List.of("dave", "alice"))),
                db.group("wirefx"));
    }
}
