package io.wirefx.core.message;

/**
 * WireGuard message types, sizes and field offsets (reference §2.1–2.2), and the receive-side dispatch rule.
 *
 * <p>Offsets are from the first byte of the message. All integer fields are little-endian; index fields are u32 values
 * carried as {@code int} bit patterns, the transport counter a u64 carried as a {@code long} bit pattern.
 */
public final class MessageType {
    /** Not a WireGuard message: drop it. */
    public static final int INVALID = 0;
    public static final int INITIATION = 1;
    public static final int RESPONSE = 2;
    public static final int COOKIE_REPLY = 3;
    public static final int TRANSPORT = 4;

    // ---- sizes ----
    public static final int INITIATION_SIZE = 148;
    public static final int RESPONSE_SIZE = 92;
    public static final int COOKIE_REPLY_SIZE = 64;
    /** type(4) + receiver(4) + counter(8). */
    public static final int TRANSPORT_HEADER_SIZE = 16;
    public static final int AEAD_TAG_SIZE = 16;
    /** Header plus the AEAD tag of an empty plaintext; anything shorter is dropped. */
    public static final int TRANSPORT_MIN_SIZE = TRANSPORT_HEADER_SIZE + AEAD_TAG_SIZE;
    /** A keepalive is a transport message with an empty plaintext. */
    public static final int KEEPALIVE_SIZE = TRANSPORT_MIN_SIZE;

    public static final int EPHEMERAL_SIZE = 32;
    public static final int ENCRYPTED_STATIC_SIZE = 32 + AEAD_TAG_SIZE;
    public static final int ENCRYPTED_TIMESTAMP_SIZE = 12 + AEAD_TAG_SIZE;
    public static final int ENCRYPTED_NOTHING_SIZE = AEAD_TAG_SIZE;
    public static final int MAC_SIZE = 16;
    public static final int COOKIE_NONCE_SIZE = 24;
    public static final int ENCRYPTED_COOKIE_SIZE = 16 + AEAD_TAG_SIZE;

    // ---- offsets: handshake initiation (148) ----
    public static final int INITIATION_SENDER_OFFSET = 4;
    public static final int INITIATION_EPHEMERAL_OFFSET = 8;
    public static final int INITIATION_STATIC_OFFSET = 40;
    public static final int INITIATION_TIMESTAMP_OFFSET = 88;
    public static final int INITIATION_MAC1_OFFSET = 116;
    public static final int INITIATION_MAC2_OFFSET = 132;

    // ---- offsets: handshake response (92) ----
    public static final int RESPONSE_SENDER_OFFSET = 4;
    public static final int RESPONSE_RECEIVER_OFFSET = 8;
    public static final int RESPONSE_EPHEMERAL_OFFSET = 12;
    public static final int RESPONSE_EMPTY_OFFSET = 44;
    public static final int RESPONSE_MAC1_OFFSET = 60;
    public static final int RESPONSE_MAC2_OFFSET = 76;

    // ---- offsets: cookie reply (64) ----
    public static final int COOKIE_REPLY_RECEIVER_OFFSET = 4;
    public static final int COOKIE_REPLY_NONCE_OFFSET = 8;
    public static final int COOKIE_REPLY_COOKIE_OFFSET = 32;

    // ---- offsets: transport (32 + n) ----
    public static final int TRANSPORT_RECEIVER_OFFSET = 4;
    public static final int TRANSPORT_COUNTER_OFFSET = 8;
    public static final int TRANSPORT_DATA_OFFSET = 16;

    private MessageType() {
    }

    /**
     * Receive-side dispatch (§2.1): the type when bytes 0–3 are exactly the LE u32 of a known type and the length fits
     * it (initiation == 148, response == 92, cookie reply == 64, transport >= 32), else {@link #INVALID}. Never
     * throws: a null buffer or an out-of-range {@code off}/{@code len} also gives {@link #INVALID}.
     */
    public static int typeOf(byte[] buf, int off, int len) {
        if (!Bytes.inBounds(buf, off, len) || len < 4) {
            return INVALID;
        }
        int type = Bytes.getIntLE(buf, off);
        return switch (type) {
            case INITIATION -> len == INITIATION_SIZE ? INITIATION : INVALID;
            case RESPONSE -> len == RESPONSE_SIZE ? RESPONSE : INVALID;
            case COOKIE_REPLY -> len == COOKIE_REPLY_SIZE ? COOKIE_REPLY : INVALID;
            case TRANSPORT -> len >= TRANSPORT_MIN_SIZE ? TRANSPORT : INVALID;
            default -> INVALID;
        };
    }

    /**
     * Offset of mac1, which is also the number of bytes mac1 covers: 116 for an initiation, 60 for a response.
     *
     * @throws IllegalArgumentException for a type without MACs
     */
    public static int mac1Offset(int type) {
        return switch (type) {
            case INITIATION -> INITIATION_MAC1_OFFSET;
            case RESPONSE -> RESPONSE_MAC1_OFFSET;
            default -> throw new IllegalArgumentException("message type " + type + " carries no MACs");
        };
    }

    /**
     * Offset of mac2, which is also the number of bytes mac2 covers (mac1 included): 132 / 76.
     *
     * @throws IllegalArgumentException for a type without MACs
     */
    public static int mac2Offset(int type) {
        return mac1Offset(type) + MAC_SIZE;
    }

    /** The exact size of a fixed-size handshake message type, or the minimum size of a transport message. */
    public static int sizeOf(int type) {
        return switch (type) {
            case INITIATION -> INITIATION_SIZE;
            case RESPONSE -> RESPONSE_SIZE;
            case COOKIE_REPLY -> COOKIE_REPLY_SIZE;
            case TRANSPORT -> TRANSPORT_MIN_SIZE;
            default -> throw new IllegalArgumentException("unknown message type " + type);
        };
    }
}
