package io.wirefx.platform.unix;

import io.wirefx.platform.LocalEndpoints;

/** Unix sockets whose removal is noticed by a check once a second (as on macOS) pass the endpoint contract. */
class PollingUnixEndpointsTest extends UnixLocalEndpointsContract {
    @Override
    protected LocalEndpoints endpoints() {
        return new UnixSocketEndpoints(new AccountDatabase(), UnixSocketEndpoints.RemovalWatch.POLL);
    }
}
