package io.wirefx.daemon.ipc;

import io.wirefx.ipc.Event;
import io.wirefx.ipc.IpcClient;
import io.wirefx.ipc.IpcJson;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Predicate;

/** Records a client's events; waits are bounded only by the test's @Timeout (hang guard). */
final class EventRecorder implements IpcClient.Listener {
    final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
    final List<String> json = new ArrayList<>();
    volatile Exception disconnected;

    @Override
    public void onEvent(Event event) {
        synchronized (json) {
            json.add(new String(IpcJson.encode(event), StandardCharsets.UTF_8));
        }
        events.add(event);
    }

    @Override
    public void onDisconnected(Exception cause) {
        disconnected = cause;
    }

    /** Takes events until one matches; returns it. */
    <T extends Event> T await(Class<T> type, Predicate<T> match) throws InterruptedException {
        while (true) {
            Event e = events.take();
            if (type.isInstance(e) && match.test(type.cast(e))) {
                return type.cast(e);
            }
        }
    }

    String allJson() {
        synchronized (json) {
            return String.join("\n", json);
        }
    }
}
