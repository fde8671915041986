package io.wirefx.tun;

import java.io.IOException;
import java.io.Serial;

/** Thrown by operations on a {@link TunDevice} that was closed or whose interface was removed. */
public final class TunClosedException extends IOException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** Creates the exception for the named device. */
    public TunClosedException(String deviceName) {
        super("TUN device " + deviceName + " is closed");
    }
}
