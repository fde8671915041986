package io.wirefx.core.device;

import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps our random 32-bit indices to what they name: a peer's pending handshake, or a keypair. Lookups are
 * lock-free (the receive path); allocation uses the device's random source.
 */
final class IndexTable {
    private final ConcurrentHashMap<Integer, Object> map = new ConcurrentHashMap<>();
    private final Random random;

    IndexTable(Random random) {
        this.random = random;
    }

    /** A fresh index naming {@code peer}'s handshake. */
    int allocate(Peer peer) {
        while (true) {
            int index = random.nextInt();
            if (index != 0 && map.putIfAbsent(index, peer) == null) {
                return index;
            }
        }
    }

    void bindKeypair(int index, Keypair kp) {
        map.put(index, kp);
    }

    /** Removes {@code index} only if it still names {@code owner}. */
    void remove(int index, Object owner) {
        map.remove(index, owner);
    }

    Object get(int index) {
        return map.get(index);
    }

    int size() {
        return map.size();
    }
}
