package io.wirefx.platform;

/**
 * The network configuration could not be applied or a precondition does not hold. {@link #kind()} says which, so
 * the command line can pick an exit code.
 */
public final class NetconfigException extends Exception {

    /** Why it failed. */
    public enum Kind {
        /** Something that must hold before anything is changed: the interface exists, a tool is missing, ... */
        PRECONDITION,
        /** A step of the bring-up failed (everything done so far has been undone). */
        SETUP_FAILED,
        /** The state journal cannot be read or written. */
        JOURNAL
    }

    private final Kind kind;

    public NetconfigException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public NetconfigException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
