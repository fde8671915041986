package io.wirefx.core.device;

/** Why a packet was dropped. The device counts each; nothing from the network is ever thrown. */
public enum DropReason {
    /** Not a WireGuard message: unknown type, reserved bytes set or wrong size. */
    MALFORMED,
    BAD_MAC1,
    /** Under load and mac2 missing or stale: answered with a cookie reply instead. */
    COOKIE_REQUIRED,
    RATE_LIMITED,
    HANDSHAKE_DECRYPTION_FAILED,
    UNKNOWN_PEER,
    REPLAYED_TIMESTAMP,
    INITIATION_FLOOD,
    UNEXPECTED_RESPONSE,
    BAD_COOKIE_REPLY,
    UNKNOWN_RECEIVER_INDEX,
    KEYPAIR_EXPIRED,
    DECRYPTION_FAILED,
    REPLAYED_COUNTER,
    INVALID_INNER_PACKET,
    SOURCE_NOT_ALLOWED,
    NO_ROUTE,
    NO_ENDPOINT,
    NO_PRIVATE_KEY,
    /** An outbound packet was staged while a handshake is under way; the oldest is dropped when 128 are queued. */
    STAGED_QUEUE_FULL,
    /** A bug surfaced as an exception; caught so that the packet path never throws. */
    INTERNAL_ERROR
}
