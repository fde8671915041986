package io.wirefx.engine;

import io.wirefx.core.device.DropReason;

import java.util.EnumMap;
import java.util.Map;

/**
 * A snapshot of a {@link WireGuardEngine}'s counters. Per-peer byte counts live on the core's peers
 * ({@code Peer.rxBytes()/txBytes()}); protocol drops are counted by the core and copied here as {@link #deviceDrops()}.
 *
 * @param counters    the engine's own counters
 * @param deviceDrops the core device's drop counters, by reason
 */
public record EngineStats(Map<Counter, Long> counters, Map<DropReason, Long> deviceDrops) {

    /** What the engine counts itself. */
    public enum Counter {
        /** IP packets read from the TUN device. */
        TUN_PACKETS_READ,
        /**
         * Of those, packets the receive path read right after writing to the TUN device (answers the kernel queued
         * during that write), so that the TUN reader did not have to wake up for them.
         */
        TUN_PACKETS_READ_BY_RECEIVER,
        /** IP packets handed to the TUN device and accepted by it. */
        TUN_PACKETS_WRITTEN,
        /** IP packets the TUN device refused or that could not be written (device closed). */
        TUN_WRITE_DROPS,
        /** UDP datagrams received. */
        DATAGRAMS_RECEIVED,
        /** UDP datagrams handed to the OS. */
        DATAGRAMS_SENT,
        /** Datagrams the OS refused or that had nowhere to go (no bind, no endpoint, wrong family, closed). */
        SEND_ERRORS,
        /** Received datagrams larger than a receive slot (dropped by the bind). */
        OVERSIZE_DROPS,
        /** Outbound packets sealed on the lock-free fast path. */
        FAST_PATH_PACKETS,
        /** Outbound packets that went through {@code Device.encapsulate} (no session yet, no route, staged...). */
        SLOW_PATH_PACKETS,
        /** Handshake-type messages (initiation, response, cookie reply) queued for the handshake thread. */
        HANDSHAKE_MESSAGES,
        /** Handshake-type messages dropped because the handshake queue was full. */
        HANDSHAKE_QUEUE_DROPS,
        /** Transport messages that passed decryption and were delivered or consumed (keepalives). */
        TRANSPORT_RECEIVED,
        /** Unexpected failures inside the engine's own threads (see the log). */
        INTERNAL_ERRORS
    }

    public EngineStats {
        counters = Map.copyOf(counters);
        deviceDrops = Map.copyOf(deviceDrops);
    }

    /** One counter (0 if absent). */
    public long get(Counter c) {
        return counters.getOrDefault(c, 0L);
    }

    /** One device drop counter (0 if absent). */
    public long deviceDrops(DropReason r) {
        return deviceDrops.getOrDefault(r, 0L);
    }

    /** Sum of all device drops. */
    public long totalDeviceDrops() {
        return deviceDrops.values().stream().mapToLong(Long::longValue).sum();
    }

    static Map<DropReason, Long> emptyDrops() {
        return new EnumMap<>(DropReason.class);
    }
}
