package io.wirefx.platform.windows;

import java.util.Set;

/**
 * What the service learns from a client's access token (read while impersonating the pipe client). {@link
 * #enabledGroupSids()} holds only groups that count for access checks: enabled and not deny-only, which is what
 * {@code CheckTokenMembership} tests. Under UAC a non-elevated administrator's token has Administrators deny-only.
 */
public interface TokenView {

    /** {@code DOMAIN}&#92;{@code user}, for logs and the caller shown in the UI. */
    String userName();

    /** The user's SID. */
    String userSid();

    /** {@code TokenElevation}: whether the token is elevated. */
    boolean elevated();

    /** SIDs of the token's enabled, non-deny-only groups. */
    Set<String> enabledGroupSids();

    /** The token linked by UAC (the elevated one of a filtered admin token), if any. */
    default java.util.Optional<TokenView> linked() {
        return java.util.Optional.empty();
    }
}
