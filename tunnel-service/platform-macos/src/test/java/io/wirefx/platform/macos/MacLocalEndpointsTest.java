package io.wirefx.platform.macos;

import io.wirefx.platform.LocalEndpoints;
import io.wirefx.platform.unix.UnixLocalEndpointsContract;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The macOS platform's endpoints (Unix sockets, the JDK's peer credentials through LOCAL_PEERCRED, groups from
 * {@code id}/{@code dscl}) pass the endpoint contract: on a Mac only (the macOS CI job runs it with sudo).
 */
@Tag("macos")
@EnabledOnOs(OS.MAC)
class MacLocalEndpointsTest extends UnixLocalEndpointsContract {
    @Override
    protected LocalEndpoints endpoints() {
        return new MacPlatform().endpoints();
    }
}
