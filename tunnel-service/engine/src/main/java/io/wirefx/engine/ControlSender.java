package io.wirefx.engine;

import io.wirefx.core.device.Datagram;
import io.wirefx.engine.bind.DatagramBatch;

import java.util.List;

/**
 * Sends the core's {@link Datagram}s (handshakes, keepalives, staged packets, cookie replies) through the engine's
 * current bind, copying them into a small reusable batch. One instance per thread; not thread-safe.
 */
final class ControlSender {
    private static final int SLOTS = 16;
    private static final int INITIAL_CAPACITY = 2048;

    private final WireGuardEngine engine;
    private DatagramBatch batch = new DatagramBatch(SLOTS, 0, INITIAL_CAPACITY, 0);

    ControlSender(WireGuardEngine engine) {
        this.engine = engine;
    }

    void send(List<Datagram> datagrams) {
        if (datagrams.isEmpty()) {
            return;
        }
        batch.clear();
        for (Datagram d : datagrams) {
            if (d.to() == null) {
                engine.count(EngineStats.Counter.SEND_ERRORS);
                continue;
            }
            int len = d.data().length;
            if (len > batch.packetCapacity()) {
                flush();
                batch = new DatagramBatch(SLOTS, 0, Math.max(len, batch.packetCapacity() * 2), 0);
            } else if (batch.isFull()) {
                flush();
            }
            batch.add(d.data(), 0, len, d.to());
        }
        flush();
    }

    private void flush() {
        if (!batch.isEmpty()) {
            engine.sendBatch(batch);
            batch.clear();
        }
    }
}
