package io.wirefx.core.message;

import static io.wirefx.core.message.MessageType.*;

import java.util.Objects;

/**
 * Transport data messages (type 4, §2.2) worked on in place: no object per packet. Layout: type(4, LE u32 = 4),
 * receiver(4, LE u32), counter(8, LE u64), then {@code AEAD(P || pad)} which is the padded plaintext plus a 16-byte
 * tag.
 *
 * <p>The accessors expect a buffer already accepted by {@link #check} or {@link MessageType#typeOf}; on a buffer
 * too short they throw {@link IndexOutOfBoundsException} rather than read garbage.
 */
public final class TransportHeader {
    /** Plaintext is zero-padded to a multiple of this (unless the MTU caps it). */
    public static final int PADDING_MULTIPLE = 16;

    private TransportHeader() {
    }

    /** Writes the 16-byte header: type 4 with zero reserved bytes, {@code receiver} and {@code counter}, all LE. */
    public static void write(byte[] buf, int off, int receiver, long counter) {
        Objects.checkFromIndexSize(off, TRANSPORT_HEADER_SIZE, buf.length);
        Bytes.putIntLE(buf, off, TRANSPORT);
        Bytes.putIntLE(buf, off + TRANSPORT_RECEIVER_OFFSET, receiver);
        Bytes.putLongLE(buf, off + TRANSPORT_COUNTER_OFFSET, counter);
    }

    /** The receiver index (u32 bit pattern) of the message starting at {@code off}. */
    public static int receiver(byte[] buf, int off) {
        return Bytes.getIntLE(buf, off + TRANSPORT_RECEIVER_OFFSET);
    }

    /** The counter (u64 bit pattern; compare with {@link Long#compareUnsigned}) of the message at {@code off}. */
    public static long counter(byte[] buf, int off) {
        return Bytes.getLongLE(buf, off + TRANSPORT_COUNTER_OFFSET);
    }

    /**
     * Checks that {@code [off, off+len)} is a transport message: type 4, zero reserved bytes, at least 32 bytes.
     * Never throws.
     *
     * @return null if it is, otherwise the reason
     */
    public static Rejection check(byte[] buf, int off, int len) {
        if (!Bytes.inBounds(buf, off, len)) {
            return Rejection.BAD_BOUNDS;
        }
        if (len < 4) {
            return Rejection.TOO_SHORT;
        }
        if (buf[off] != TRANSPORT) {
            return Rejection.WRONG_TYPE;
        }
        if (buf[off + 1] != 0 || buf[off + 2] != 0 || buf[off + 3] != 0) {
            return Rejection.RESERVED_NOT_ZERO;
        }
        return len < TRANSPORT_MIN_SIZE ? Rejection.TOO_SHORT : null;
    }

    /** Length of the encrypted payload (padded plaintext + tag) of a message of {@code messageLen} bytes. */
    public static int ciphertextLength(int messageLen) {
        return messageLen - TRANSPORT_HEADER_SIZE;
    }

    /** Total message size for a padded plaintext of {@code paddedLen} bytes: header + plaintext + tag. */
    public static int messageLength(int paddedLen) {
        return TRANSPORT_HEADER_SIZE + paddedLen + AEAD_TAG_SIZE;
    }

    /**
     * Length of the plaintext after zero padding, following wireguard-go's {@code calculatePaddingSize}:
     * <ul>
     *   <li>{@code mtu <= 0} (unknown): round up to a multiple of 16;</li>
     *   <li>{@code len <= mtu}: {@code min(roundup16(len), mtu)}, e.g. 81 → 96, and 1415 → 1420 at MTU 1420;</li>
     *   <li>{@code len > mtu} (a GSO super-packet that will be split into MTU-sized units): only the last unit,
     *       {@code lastUnit = len % mtu}, is padded, to {@code min(roundup16(lastUnit), mtu)}; the result is
     *       {@code len - lastUnit + thatPaddedSize} (an exact multiple of the MTU stays unpadded).</li>
     * </ul>
     * The padding added is always 0–15 bytes.
     *
     * @throws IllegalArgumentException if {@code plaintextLen} is negative or the result would overflow an int
     */
    public static int paddedLength(int plaintextLen, int mtu) {
        if (plaintextLen < 0) {
            throw new IllegalArgumentException("negative plaintext length " + plaintextLen);
        }
        long lastUnit = plaintextLen;
        long padded;
        if (mtu <= 0) {
            padded = roundUp16(lastUnit);
        } else {
            if (lastUnit > mtu) {
                lastUnit %= mtu;
            }
            padded = Math.min(roundUp16(lastUnit), mtu);
        }
        long result = plaintextLen + (padded - lastUnit);
        if (result > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("padded length overflows: " + plaintextLen);
        }
        return (int) result;
    }

    private static long roundUp16(long n) {
        return (n + PADDING_MULTIPLE - 1) & -PADDING_MULTIPLE;
    }
}
