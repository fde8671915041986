package io.wirefx.platform.windows;

import java.io.IOException;
import java.io.Serial;

/** A Windows API call failed with a Win32 error code (IP Helper and WFP return it; others via GetLastError). */
public final class WindowsException extends IOException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** {@code ERROR_FILE_NOT_FOUND}. */
    public static final int ERROR_FILE_NOT_FOUND = 2;
    /** {@code ERROR_INVALID_PARAMETER}. */
    public static final int ERROR_INVALID_PARAMETER = 87;
    /** {@code ERROR_PROC_NOT_FOUND}: the function is not in this Windows' DLL. */
    public static final int ERROR_PROC_NOT_FOUND = 127;
    /** {@code ERROR_NOT_FOUND}. */
    public static final int ERROR_NOT_FOUND = 1168;
    /** {@code ERROR_OBJECT_ALREADY_EXISTS}. */
    public static final int ERROR_OBJECT_ALREADY_EXISTS = 5010;

    private final int code;

    public WindowsException(String call, int code) {
        super(call + " failed: error " + code + describe(code));
        this.code = code;
    }

    /** The Win32 error code. */
    public int code() {
        return code;
    }

    /** Whether the object is already gone (the undo of something that is not there). */
    public boolean isNotFound() {
        return code == ERROR_NOT_FOUND || code == ERROR_FILE_NOT_FOUND;
    }

    private static String describe(int code) {
        return switch (code) {
            case ERROR_FILE_NOT_FOUND -> " (not found)";
            case 5 -> " (access denied)";
            case ERROR_INVALID_PARAMETER -> " (invalid parameter)";
            case ERROR_PROC_NOT_FOUND -> " (function not available on this Windows version)";
            case ERROR_NOT_FOUND -> " (element not found)";
            case ERROR_OBJECT_ALREADY_EXISTS -> " (already exists)";
            default -> "";
        };
    }
}
