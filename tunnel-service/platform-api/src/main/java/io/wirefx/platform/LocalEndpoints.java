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

    /**
     * The address of an interface's UAPI endpoint, where {@code wg(8)} looks for it: on Unix
     * {@code uapiDir/IFNAME.sock}; Windows ignores the directory and names a pipe.
     *
     * @param uapiDir the socket directory (the platform's {@link PlatformPaths#uapiDir()} or an override); may be
     *                null where the platform does not use one
     */
    default String uapiAddress(java.nio.file.Path uapiDir, String interfaceName) {
        if (uapiDir == null) {
            throw new IllegalArgumentException("no UAPI directory for " + interfaceName);
        }
        return uapiDir.resolve(interfaceName + ".sock").toString();
    }
}
