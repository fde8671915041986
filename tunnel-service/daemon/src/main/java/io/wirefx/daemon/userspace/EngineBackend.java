package io.wirefx.daemon.userspace;

import io.wirefx.core.uapi.UapiDevice;
import io.wirefx.engine.EngineUapiDevice;
import io.wirefx.engine.WireGuardEngine;
import io.wirefx.tun.TunDevice;
import io.wirefx.warmup.WarmUp;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * The production {@link Backend}: a {@link WireGuardEngine} on the TUN device, configured through
 * {@link EngineUapiDevice}. Like wireguard-go, it starts with no key, no peers and a random UDP port; everything
 * else comes over the UAPI socket.
 */
final class EngineBackend implements Backend {

    private final WireGuardEngine engine;
    private final UapiDevice uapi;
    private volatile boolean closing;

    private EngineBackend(WireGuardEngine engine) {
        this.engine = engine;
        this.uapi = new EngineUapiDevice(engine);
    }

    /** Builds and starts the engine on {@code tun} (which it then owns). */
    static Backend start(TunDevice tun, Log log, Consumer<String> onFatal) throws IOException {
        WireGuardEngine engine = WireGuardEngine.builder(tun).build();
        try {
            WarmUp.once(tun); // compile the packet path before it carries packets (once per JVM)
            engine.start();
        } catch (IOException | RuntimeException e) {
            engine.close();
            throw e;
        }
        log.debug("Engine started: UDP port " + engine.listenPort() + ", " + engine.bind());
        EngineBackend b = new EngineBackend(engine);
        // The engine also stops by itself (its TUN device went away); the daemon must then exit.
        engine.terminated().thenRun(() -> {
            if (!b.closing) {
                onFatal.accept("the engine stopped");
            }
        });
        return b;
    }

    @Override
    public UapiDevice uapi() {
        return uapi;
    }

    /** Stops the engine, which also closes the TUN device. */
    @Override
    public void close() {
        closing = true;
        engine.close();
    }
}
