package io.wirefx.platform.windows;

import io.wirefx.ipc.Role;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CallerAuthorizerTest {

    static final String OPERATORS = "S-1-5-21-100-200-300-1010";
    static final String USERS = "S-1-5-32-545";
    final CallerAuthorizer auth = new CallerAuthorizer(Optional.of(OPERATORS));

    record Token(String userName, String userSid, boolean elevated, Set<String> enabledGroupSids)
            implements TokenView {
    }

    static Token user(String sid, boolean elevated, String... groups) {
        return new Token("PC\\u" + sid.hashCode(), sid, elevated, Set.of(groups));
    }

    @Test
    void theMatrix() {
        assertEquals(Optional.of(Role.ADMIN), auth.decide(user("S-1-5-18", false)), "LocalSystem");
        assertEquals(Optional.of(Role.ADMIN), auth.decide(user("S-1-5-21-1-2-3-500", true,
                CallerAuthorizer.ADMINISTRATORS_SID, USERS)), "elevated administrator");
        assertEquals(Optional.empty(), auth.decide(user("S-1-5-21-1-2-3-1001", false, USERS)),
                "non-elevated administrator (Administrators deny-only, so not in the enabled groups)");
        assertEquals(Optional.of(Role.OPERATOR), auth.decide(user("S-1-5-21-1-2-3-1001", false, USERS, OPERATORS)),
                "non-elevated administrator who is an operator");
        assertEquals(Optional.of(Role.OPERATOR), auth.decide(user("S-1-5-21-1-2-3-1002", false, USERS, OPERATORS)),
                "operator");
        assertEquals(Optional.of(Role.OPERATOR), auth.decide(user("S-1-5-21-1-2-3-1002", true, USERS, OPERATORS)),
                "elevation alone makes no admin");
        assertEquals(Optional.empty(), auth.decide(user("S-1-5-21-1-2-3-1003", false, USERS)), "outsider");
    }

    @Test
    void withoutTheOperatorsGroupOnlyAdministratorsGetIn() {
        CallerAuthorizer noGroup = new CallerAuthorizer(Optional.empty());
        assertEquals(Optional.empty(), noGroup.decide(user("S-1-5-21-1-2-3-1002", false, USERS, OPERATORS)));
        assertEquals(Optional.of(Role.ADMIN), noGroup.decide(user("S-1-5-21-1-2-3-500", true,
                CallerAuthorizer.ADMINISTRATORS_SID)));
    }
}
