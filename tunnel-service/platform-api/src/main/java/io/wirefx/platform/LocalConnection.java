package io.wirefx.platform;

import java.nio.channels.ByteChannel;

/** One caller's connection: a blocking byte channel and who is calling. */
public interface LocalConnection extends ByteChannel {

    /** The caller, identified by the OS when it connected. */
    Caller caller();
}
