package io.wirefx.platform.linux;

import io.wirefx.platform.LocalEndpoints;
import io.wirefx.platform.unix.UnixLocalEndpointsContract;

/** The Linux platform's endpoints (Unix sockets, SO_PEERCRED, the group database) pass the endpoint contract. */
class LinuxLocalEndpointsTest extends UnixLocalEndpointsContract {
    @Override
    protected LocalEndpoints endpoints() {
        return new LinuxPlatform().endpoints();
    }
}
