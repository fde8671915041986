package io.wirefx.platform.windows;

import io.wirefx.ipc.Role;

import java.util.Objects;
import java.util.Optional;

/**
 * Decides a pipe client's {@link Role} from its token:
 * <ul>
 *   <li>LocalSystem (the installer, the service itself) and <em>elevated</em> members of Administrators: ADMIN;</li>
 *   <li>members of the local group {@value #OPERATORS_GROUP}: OPERATOR (toggle and view, keys redacted);</li>
 *   <li>everyone else, including a non-elevated administrator who is not an operator: refused.</li>
 * </ul>
 * A non-elevated administrator is refused ADMIN on purpose: the token actually presented is what counts (a linked
 * elevated token that the client did not use is ignored), so malware running unelevated in an admin's session cannot
 * read private keys without a UAC prompt.
 */
public final class CallerAuthorizer {

    /** The local group whose members operate tunnels. */
    public static final String OPERATORS_GROUP = "WireFX Operators";
    /** {@code BUILTIN\Administrators}. */
    public static final String ADMINISTRATORS_SID = "S-1-5-32-544";
    /** {@code NT AUTHORITY\SYSTEM}. */
    public static final String LOCAL_SYSTEM_SID = "S-1-5-18";

    private final String operatorsSid;

    /** @param operatorsSid the SID of {@value #OPERATORS_GROUP} on this machine (looked up at service start) */
    public CallerAuthorizer(Optional<String> operatorsSid) {
        this.operatorsSid = Objects.requireNonNull(operatorsSid).orElse(null);
    }

    /** The caller's role, or empty when it is refused. */
    public Optional<Role> decide(TokenView token) {
        if (LOCAL_SYSTEM_SID.equals(token.userSid())) {
            return Optional.of(Role.ADMIN);
        }
        if (token.elevated() && token.enabledGroupSids().contains(ADMINISTRATORS_SID)) {
            return Optional.of(Role.ADMIN);
        }
        if (operatorsSid != null && token.enabledGroupSids().contains(operatorsSid)) {
            return Optional.of(Role.OPERATOR);
        }
        return Optional.empty();
    }
}
