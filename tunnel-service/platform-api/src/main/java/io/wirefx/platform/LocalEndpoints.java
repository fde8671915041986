package io.wirefx.platform;

import java.io.IOException;

/**
 * The local endpoints of the service: the IPC endpoint of the app and the CLI, and each tunnel's UAPI endpoint for
 * {@code wg(8)}. Unix sockets with peer credentials on Linux and macOS; Windows brings its own. The platform, not
 * the portable service, decides who a caller is and which role it gets.
 */
public interface LocalEndpoints {

    /**
     * Listens on {@code address} (a socket path or a pipe name). A stale endpoint left by a dead process is replaced;
     * one that a live process serves is not (IOException naming it).
     */
    LocalServer listen(String address, EndpointAccess access) throws IOException;
}
