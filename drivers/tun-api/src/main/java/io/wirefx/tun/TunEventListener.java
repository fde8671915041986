package io.wirefx.tun;

/**
 * Receives {@link TunEvent}s. Events are delivered synchronously on the thread that noticed them (usually the reading
 * thread, or the caller of {@link TunDevice#setMtu}), never while the driver holds an internal lock, so a listener may
 * call {@link TunDevice#close()}. Listeners must be quick and must not block. A listener that throws is logged and
 * otherwise ignored.
 */
@FunctionalInterface
public interface TunEventListener {

    /** Called for each event of {@code device}. */
    void onEvent(TunDevice device, TunEvent event);
}
