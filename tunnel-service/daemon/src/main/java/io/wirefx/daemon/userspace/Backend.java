package io.wirefx.daemon.userspace;

import io.wirefx.core.uapi.UapiDevice;
import io.wirefx.tun.TunDevice;

import java.io.IOException;
import java.util.function.Consumer;

/** The data plane the daemon runs behind its TUN interface: the WireFX engine in production. */
public interface Backend extends AutoCloseable {

    /** What the UAPI socket configures. */
    UapiDevice uapi();

    /** Stops the data plane; it may close the TUN device too (the daemon closes it anyway). Idempotent; never throws. */
    @Override
    void close();

    /** Starts a backend on an open TUN device. */
    @FunctionalInterface
    interface Factory {
        /**
         * @param tun     the open TUN device; the backend reads and writes it
         * @param log     the daemon log
         * @param onFatal called (once, from any thread) if the backend fails and the daemon must exit
         */
        Backend start(TunDevice tun, Log log, Consumer<String> onFatal) throws IOException;
    }
}
