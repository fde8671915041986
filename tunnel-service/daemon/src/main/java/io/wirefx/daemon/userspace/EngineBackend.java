package io.wirefx.daemon.userspace;

import io.wirefx.core.uapi.UapiDevice;
import io.wirefx.engine.EngineUapiDevice;
import io.wirefx.engine.WireGuardEngine;
import io.wirefx.tun.TunDevice;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * The production {@link Backend}: a {@link WireGuardEngine} on the TUN device, configured through
 * {@link EngineUapiDevice}. Like wireguard-go, it starts with no key, no peers and a random UDP port; everything
 * else comes over the UAPI socket.
 */
final class EngineBackend implements Backend {

    private static final long WATCH_MILLIS = 500;

    private final WireGuardEngine engine;
    private final UapiDevice uapi;
    private final Thread watchdog;
    private volatile boolean closing;

    private EngineBackend(WireGuardEngine engine, Consumer<String> onFatal) {
        this.engine = engine;
        this.uapi = new EngineUapiDevice(engine);
        // The engine stops by itself when its TUN device goes away or a stage fails; the daemon must then exit.
        this.watchdog = Thread.ofPlatform().daemon().name("wirefx-" + engine.tun().name() + "-watchdog")
                .unstarted(() -> {
                    try {
                        while (engine.isRunning()) {
                            Thread.sleep(WATCH_MILLIS);
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (!closing) {
                        onFatal.accept("the engine stopped");
                    }
                });
    }

    /** Builds and starts the engine on {@code tun} (which it then owns). */
    static Backend start(TunDevice tun, Log log, Consumer<String> onFatal) throws IOException {
        WireGuardEngine engine = WireGuardEngine.builder(tun).build();
        try {
            engine.start();
        } catch (IOException | RuntimeException e) {
            engine.close();
            throw e;
        }
        log.debug("Engine started: UDP port " + engine.listenPort() + ", " + engine.bind());
        EngineBackend b = new EngineBackend(engine, onFatal);
        b.watchdog.start();
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
        watchdog.interrupt();
        engine.close();
    }
}
