package io.wirefx.core.message;

/**
 * Why a decoder refused a buffer. Every such buffer is dropped silently on the wire.
 *
 * <p>Checks run in this order, and the first failing one is reported: bounds; at least 4 bytes; type byte; reserved
 * bytes; then the size (too short, or longer than a fixed-size message).
 */
public enum Rejection {
    /** The buffer is null, or {@code off}/{@code len} do not describe a range inside it. */
    BAD_BOUNDS,
    /** Fewer bytes than the message type needs (fewer than 4 to read the type at all). */
    TOO_SHORT,
    /** More bytes than a fixed-size message type has: WireGuard dispatches on the exact size. */
    WRONG_SIZE,
    /** Byte 0 is not the type this decoder handles. */
    WRONG_TYPE,
    /** One of bytes 1–3 is not zero (wireguard-go reads bytes 0–3 as one LE u32, so this is an unknown type). */
    RESERVED_NOT_ZERO;

    /** One shared result per reason (the result carries no other state), so rejecting junk allocates nothing. */
    final Decoded.Rejected<?> shared = new Decoded.Rejected<>(this);
}
