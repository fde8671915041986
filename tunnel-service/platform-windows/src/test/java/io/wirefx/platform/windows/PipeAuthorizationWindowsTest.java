package io.wirefx.platform.windows;

import com.sun.jna.platform.win32.Advapi32;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinNT;
import io.wirefx.ipc.Role;
import io.wirefx.platform.EndpointAccess;
import io.wirefx.platform.LocalConnection;
import io.wirefx.platform.LocalServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.condition.OS;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The IPC authorization matrix on real pipes and real tokens. The workflow creates two local users (an operator in
 * {@value CallerAuthorizer#OPERATORS_GROUP} and an outsider) and passes their passwords; a client thread logs on as
 * each (interactive logon, so the token is a plain user's) and opens the pipe while impersonating them. The runner's
 * own elevated token is the administrator.
 */
@Tag("windows")
@EnabledOnOs(OS.WINDOWS)
@EnabledIfEnvironmentVariable(named = "WIREFX_CI_USER_PASSWORD", matches = ".+")
class PipeAuthorizationWindowsTest {

    static final String PIPE = "\\\\.\\pipe\\WireFX\\ci-" + ProcessHandle.current().pid();

    /** Opens the pipe as {@code user} (or as ourselves for null), writes one byte, closes. */
    static void dial(String user) {
        WinNT.HANDLEByReference token = new WinNT.HANDLEByReference();
        if (user != null) {
            assertTrue(Advapi32.INSTANCE.LogonUser(user, ".", System.getenv("WIREFX_CI_USER_PASSWORD"),
                    WinBase.LOGON32_LOGON_INTERACTIVE, WinBase.LOGON32_PROVIDER_DEFAULT, token), "LogonUser " + user);
            assertTrue(Advapi32.INSTANCE.ImpersonateLoggedOnUser(token.getValue()));
        }
        try {
            WinNT.HANDLE h = Kernel32.INSTANCE.CreateFile(PIPE, WinNT.GENERIC_READ | WinNT.GENERIC_WRITE, 0, null,
                    WinNT.OPEN_EXISTING, 0, null);
            assertTrue(!WinBase.INVALID_HANDLE_VALUE.equals(h), "CreateFile as " + user + ": error "
                    + Kernel32.INSTANCE.GetLastError());
            Kernel32.INSTANCE.WriteFile(h, new byte[]{1}, 1, null, null);
            Kernel32.INSTANCE.CloseHandle(h);
        } finally {
            if (user != null) {
                Advapi32.INSTANCE.RevertToSelf();
                Kernel32.INSTANCE.CloseHandle(token.getValue());
            }
        }
    }

    static Optional<Role> roleOf(LocalServer server, String user) throws Exception {
        CompletableFuture<Void> client = CompletableFuture.runAsync(() -> dial(user));
        try (LocalConnection c = server.accept()) {
            assertEquals(1, c.read(ByteBuffer.allocate(1)));
            client.get(30, TimeUnit.SECONDS);
            return c.caller().role();
        }
    }

    @Test
    void administratorOperatorAndOutsider() throws Exception {
        try (LocalServer server = new NamedPipeEndpoints(new Win32Pipes()).listen(PIPE,
                new EndpointAccess("Administrators", CallerAuthorizer.OPERATORS_GROUP))) {
            assertEquals(Optional.of(Role.ADMIN), roleOf(server, null), "the elevated runner");
            assertEquals(Optional.of(Role.OPERATOR), roleOf(server, "wfxci_op"));
            assertEquals(Optional.empty(), roleOf(server, "wfxci_out"));
        }
    }
}
