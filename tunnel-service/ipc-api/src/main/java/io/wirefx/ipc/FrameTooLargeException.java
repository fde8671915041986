package io.wirefx.ipc;

import java.io.IOException;

/** A frame's length prefix exceeds the limit; nothing of its payload has been read. The stream is unusable after. */
public final class FrameTooLargeException extends IOException {
    private final long length;
    private final int limit;

    public FrameTooLargeException(long length, int limit) {
        super("frame of " + length + " bytes exceeds the limit of " + limit + " bytes");
        this.length = length;
        this.limit = limit;
    }

    /** The announced length (unsigned). */
    public long length() {
        return length;
    }

    public int limit() {
        return limit;
    }
}
