package io.wirefx.tun;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/** Listener bookkeeping for {@link TunDevice} implementations: registration and exception-safe delivery. */
public final class TunListeners {

    private static final System.Logger LOG = System.getLogger(TunListeners.class.getName());

    private final List<TunEventListener> listeners = new CopyOnWriteArrayList<>();

    /** Registers a listener. */
    public void add(TunEventListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Unregisters a listener. */
    public void remove(TunEventListener listener) {
        listeners.remove(listener);
    }

    /** Delivers {@code event} to every listener on the calling thread; a throwing listener is logged and skipped. */
    public void fire(TunDevice device, TunEvent event) {
        for (TunEventListener l : listeners) {
            try {
                l.onEvent(device, event);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "TUN event listener failed on " + event, e);
            }
        }
    }
}
