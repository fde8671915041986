package io.wirefx.core.device;

/** What tests do to a device or peer that production never does: put it under load, age its counters. */
final class DeviceFixtures {

    private DeviceFixtures() {
    }

    /**
     * Puts {@code device} under load (cookies required, rate limit on) for the next second of virtual time, the way
     * the engine does when its handshake queue is long.
     */
    static void underLoad(Device device, long now) {
        device.reportHandshakeBacklog(Device.UNDER_LOAD_QUEUE_LENGTH, now);
    }

    /** Sets the send counter of {@code peer}'s current keypair, if it has one (ages a session). */
    static void forceSendCounter(Peer peer, long value) {
        synchronized (peer) {
            Keypair current = peer.currentKeypair();
            if (current != null) {
                current.setSendCounter(value);
            }
        }
    }
}
