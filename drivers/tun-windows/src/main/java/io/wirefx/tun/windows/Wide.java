package io.wirefx.tun.windows;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import java.nio.charset.StandardCharsets;

/**
 * Windows wide strings ({@code LPCWSTR}: UTF-16LE, NUL-terminated) built and read by hand. JNA's {@code WString} and
 * {@code Pointer.getWideString} follow the local {@code wchar_t}, which is 4 bytes outside Windows, so code that must
 * be testable on Linux cannot use them.
 */
public final class Wide {

    /** Longest string {@link #read} decodes (characters), a guard against a missing terminator. */
    static final int MAX_CHARS = 32_767;

    private Wide() {
    }

    /** {@code text} as a NUL-terminated UTF-16LE string in fresh native memory. */
    public static Memory of(String text) {
        byte[] utf16 = text.getBytes(StandardCharsets.UTF_16LE);
        Memory m = new Memory(utf16.length + 2L);
        m.write(0, utf16, 0, utf16.length);
        m.setShort(utf16.length, (short) 0);
        return m;
    }

    /** The NUL-terminated UTF-16LE string at {@code p} (empty for a null pointer). */
    public static String read(Pointer p) {
        if (p == null) {
            return "";
        }
        int chars = 0;
        while (chars < MAX_CHARS && p.getShort(2L * chars) != 0) {
            chars++;
        }
        return new String(p.getByteArray(0, 2 * chars), StandardCharsets.UTF_16LE);
    }

    /** The string in a fixed {@code WCHAR[n]} field's bytes, up to its first NUL. */
    public static String fromField(byte[] field) {
        int n = 0;
        while (n + 1 < field.length && (field[n] != 0 || field[n + 1] != 0)) {
            n += 2;
        }
        return new String(field, 0, n, StandardCharsets.UTF_16LE);
    }
}
