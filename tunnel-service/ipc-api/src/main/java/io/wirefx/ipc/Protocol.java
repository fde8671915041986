package io.wirefx.ipc;

import java.nio.file.Path;

/** Constants of the service protocol (see docs/ipc.md). */
public final class Protocol {
    /** The protocol version this library speaks (the highest it supports). */
    public static final int VERSION = 1;
    /** The oldest protocol version this library still speaks. */
    public static final int MIN_VERSION = 1;
    /** Largest frame payload (the JSON after the 4-byte length), in bytes, accepted in either direction. */
    public static final int MAX_FRAME_BYTES = 1 << 20;
    /** Where the service listens on Linux unless configured otherwise. */
    public static final Path DEFAULT_SOCKET = Path.of("/run/wirefx/wirefx.sock");
    /** Where the service listens on macOS, which has no {@code /run} (MacPaths in platform-macos). */
    public static final Path DEFAULT_SOCKET_MACOS = Path.of("/var/run/wirefx/wirefx.sock");

    private Protocol() {
    }

    /**
     * The version a server speaking {@code [MIN_VERSION, VERSION]} agrees on with a client whose highest version is
     * {@code clientVersion}: the lower of the two, or -1 if that is below {@link #MIN_VERSION}.
     */
    public static int negotiate(int clientVersion) {
        int v = Math.min(clientVersion, VERSION);
        return v >= MIN_VERSION ? v : -1;
    }
}
