package io.wirefx.tun;

/** Something that happened to a TUN interface, delivered to a {@link TunEventListener}. */
public sealed interface TunEvent {

    /** The MTU changed, by {@link TunDevice#setMtu} or from outside. */
    record MtuChanged(int oldMtu, int newMtu) implements TunEvent {
    }

    /** The interface was administratively brought up or down. */
    record LinkStateChanged(boolean up) implements TunEvent {
    }

    /**
     * The OS interface is gone. The device has already closed itself: reads return {@code -1}. Fired at most once,
     * and never for a plain {@link TunDevice#close()}.
     *
     * @param detail a short human-readable cause, e.g. {@code "read: EBADFD"}
     */
    record DeviceRemoved(String detail) implements TunEvent {
    }
}
