package io.wirefx.ipc.windows;

import io.wirefx.tun.windows.WindowsLayoutCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The pipe client's constants and OVERLAPPED layout against the mingw-w64 Windows headers. */
class IpcWindowsLayoutTest {

    @TempDir
    Path dir;

    static String check(String expr, long value) {
        return "_Static_assert((long long)(" + expr + ") == " + value + "LL, \"" + expr.replace("\"", "'")
                + " is not " + value + "\");";
    }

    static String checkUnsigned(String expr, int value) {
        return "_Static_assert((unsigned int)(" + expr + ") == " + Integer.toUnsignedString(value) + "u, \""
                + expr + " is not " + Integer.toUnsignedString(value) + "\");";
    }

    @Test
    void constantsAndOverlappedMatchTheWindowsHeaders() throws Exception {
        var missing = WindowsLayoutCheck.compilerMissing();
        assumeTrue(missing.isEmpty(), () -> "layout check skipped: " + missing.orElseThrow());
        new WindowsLayoutCheck()
                .include("windows.h")
                .declare(checkUnsigned("GENERIC_READ", PipeChannel.GENERIC_READ))
                .declare(checkUnsigned("GENERIC_WRITE", PipeChannel.GENERIC_WRITE))
                .declare(check("OPEN_EXISTING", PipeChannel.OPEN_EXISTING))
                .declare(checkUnsigned("FILE_FLAG_OVERLAPPED", PipeChannel.FILE_FLAG_OVERLAPPED))
                .declare(check("SECURITY_SQOS_PRESENT", PipeChannel.SECURITY_SQOS_PRESENT))
                .declare(check("SECURITY_IDENTIFICATION", PipeChannel.SECURITY_IDENTIFICATION))
                .declare(check("ERROR_FILE_NOT_FOUND", PipeChannel.ERROR_FILE_NOT_FOUND))
                .declare(check("ERROR_ACCESS_DENIED", PipeChannel.ERROR_ACCESS_DENIED))
                .declare(check("ERROR_BROKEN_PIPE", PipeChannel.ERROR_BROKEN_PIPE))
                .declare(check("ERROR_SEM_TIMEOUT", PipeChannel.ERROR_SEM_TIMEOUT))
                .declare(check("ERROR_PIPE_BUSY", PipeChannel.ERROR_PIPE_BUSY))
                .declare(check("ERROR_NO_DATA", PipeChannel.ERROR_NO_DATA))
                .declare(check("ERROR_PIPE_NOT_CONNECTED", PipeChannel.ERROR_PIPE_NOT_CONNECTED))
                .declare(check("ERROR_MORE_DATA", PipeChannel.ERROR_MORE_DATA))
                .declare(check("ERROR_OPERATION_ABORTED", PipeChannel.ERROR_OPERATION_ABORTED))
                .declare(check("ERROR_IO_PENDING", PipeChannel.ERROR_IO_PENDING))
                .declare(check("sizeof(OVERLAPPED)", PipeChannel.OVERLAPPED_SIZE))
                .declare(check("offsetof(OVERLAPPED, hEvent)", PipeChannel.OVERLAPPED_HEVENT))
                .declare(check("sizeof(HANDLE)", 8))
                .assertCompiles(dir);
    }
}
