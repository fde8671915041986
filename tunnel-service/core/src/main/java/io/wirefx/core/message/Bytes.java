package io.wirefx.core.message;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.HexFormat;

/** Little-endian field access and bounds checks shared by the codecs. */
final class Bytes {
    private static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LE_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    static final HexFormat HEX = HexFormat.of();

    private Bytes() {
    }

    static int getIntLE(byte[] buf, int off) {
        return (int) LE_INT.get(buf, off);
    }

    static void putIntLE(byte[] buf, int off, int value) {
        LE_INT.set(buf, off, value);
    }

    static long getLongLE(byte[] buf, int off) {
        return (long) LE_LONG.get(buf, off);
    }

    static void putLongLE(byte[] buf, int off, long value) {
        LE_LONG.set(buf, off, value);
    }

    /** True when {@code [off, off+len)} is a valid range of a non-null {@code buf}; never throws. */
    static boolean inBounds(byte[] buf, int off, int len) {
        return buf != null && off >= 0 && len >= 0 && off <= buf.length - len;
    }

    /**
     * Common header checks for a fixed-size message: bounds, type and reserved bytes, then the exact size.
     *
     * @return null when the header and size are right, otherwise why not
     */
    static Rejection checkFixed(byte[] buf, int off, int len, int type, int size) {
        if (!inBounds(buf, off, len)) {
            return Rejection.BAD_BOUNDS;
        }
        if (len < 4) {
            return Rejection.TOO_SHORT;
        }
        if (buf[off] != type) {
            return Rejection.WRONG_TYPE;
        }
        if (buf[off + 1] != 0 || buf[off + 2] != 0 || buf[off + 3] != 0) {
            return Rejection.RESERVED_NOT_ZERO;
        }
        if (len < size) {
            return Rejection.TOO_SHORT;
        }
        if (len != size) {
            return Rejection.WRONG_SIZE;
        }
        return null;
    }

    static byte[] checkedCopy(byte[] value, int length, String field) {
        if (value == null || value.length != length) {
            throw new IllegalArgumentException(field + " must be " + length + " bytes, got "
                    + (value == null ? "null" : value.length));
        }
        return value.clone();
    }

    static String hex(byte[] value) {
        return HEX.formatHex(value);
    }

    static String index(int value) {
        return String.format("0x%08x", value);
    }
}
