package io.wirefx.ipc;

import java.io.IOException;
import java.nio.channels.ByteChannel;
import java.util.Optional;

/**
 * How {@link IpcClient} reaches the service: a byte stream to an address. The Unix-domain socket is built in and is the
 * default; other transports (the Windows named pipe, module {@code wirefx-ipc-windows}) are found with
 * {@link java.util.ServiceLoader} by {@link IpcTransports}.
 *
 * <p>The channel returned by {@link #open} must allow one thread to block in {@code read} while another writes, and
 * {@code close} must end a blocked {@code read} (which then fails or returns -1).
 */
public interface IpcTransport {

    /** A short name for messages ({@code unix}, {@code pipe}). */
    String name();

    /** Whether this transport serves {@code address} (e.g. {@code \\.\pipe\...} for the named-pipe transport). */
    boolean handles(String address);

    /** The service's address on this machine when this transport is the one to use here (by operating system). */
    default Optional<String> defaultAddress() {
        return Optional.empty();
    }

    /** Connects to the service at {@code address}. */
    ByteChannel open(String address) throws IOException;
}
