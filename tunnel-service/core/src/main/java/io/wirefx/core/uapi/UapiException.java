package io.wirefx.core.uapi;

/**
 * A failed UAPI {@code set} line, carrying the errno the client receives. Values are negated as wireguard-go sends
 * them ({@code errno=-22}); a positive value given to the constructor is negated.
 *
 * <p>The message must never contain key material: it is meant for logs.
 */
public final class UapiException extends Exception {
    /** EIO: I/O error. */
    public static final int EIO = -5;
    /** EINVAL: bad value or unknown key. */
    public static final int EINVAL = -22;
    /** What wireguard-go sends for an error of no known kind. */
    public static final int UNKNOWN = -55;
    /** EPROTO (Linux value): a line without {@code =}. */
    public static final int EPROTO = -71;
    /** EADDRINUSE (Linux value): binding the port or setting the fwmark failed. */
    public static final int EADDRINUSE = -98;

    private final int errno;

    public UapiException(int errno) {
        this(errno, "UAPI error " + negated(errno));
    }

    public UapiException(int errno, String message) {
        super(message);
        this.errno = negated(errno);
    }

    private static int negated(int errno) {
        if (errno == 0) {
            throw new IllegalArgumentException("errno 0 is success, not an error");
        }
        return errno > 0 ? -errno : errno;
    }

    /** The (negative) errno to send back. */
    public int errno() {
        return errno;
    }
}
