package io.wirefx.ipc.windows;

import io.wirefx.ipc.IpcTransports;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The transport's choices that do not need Windows: which addresses, which default, what failures say. */
class NamedPipeTransportTest {

    @Test
    void serviceLoaderFindsItForPipeNamesOnly() {
        assertInstanceOf(NamedPipeTransport.class, IpcTransports.forAddress(NamedPipeTransport.SERVICE_PIPE));
        assertInstanceOf(NamedPipeTransport.class, IpcTransports.forAddress("\\\\.\\PIPE\\Other"));
        assertInstanceOf(NamedPipeTransport.class, IpcTransports.forAddress("//./pipe/WireFX/service"));
        assertSame(IpcTransports.UNIX, IpcTransports.forAddress("/run/wirefx/wirefx.sock"));
        assertSame(IpcTransports.UNIX, IpcTransports.forAddress("C:\\ProgramData\\WireFX\\wirefx.sock"));
    }

    @Test
    void theDefaultAddressIsThePipeOnWindowsOnly() {
        assertEquals(Optional.of("\\\\.\\pipe\\WireFX\\service"), new NamedPipeTransport(true).defaultAddress());
        assertEquals(Optional.empty(), new NamedPipeTransport(false).defaultAddress());
        if (!System.getProperty("os.name").startsWith("Windows")) {
            assertEquals("/run/wirefx/wirefx.sock", IpcTransports.defaultAddress(), "Linux keeps its socket");
        }
    }

    @Test
    void elsewhereOpeningAPipeSaysWhy() {
        IOException e = assertThrows(IOException.class,
                () -> new NamedPipeTransport(false).open(NamedPipeTransport.SERVICE_PIPE));
        assertTrue(e.getMessage().contains("Windows named pipe"), e.getMessage());
    }

    @Test
    void openFailuresNameThePipeAndTheCause() {
        String pipe = NamedPipeTransport.SERVICE_PIPE;
        IOException missing = PipeChannel.openFailure(pipe, PipeChannel.ERROR_FILE_NOT_FOUND);
        assertInstanceOf(NoSuchFileException.class, missing);
        assertTrue(missing.getMessage().contains(pipe) && missing.getMessage().contains("wirefx-service"));
        IOException denied = PipeChannel.openFailure(pipe, PipeChannel.ERROR_ACCESS_DENIED);
        assertInstanceOf(AccessDeniedException.class, denied);
        assertTrue(denied.getMessage().contains("WireFX Operators"), denied.getMessage());
        assertTrue(PipeChannel.openFailure(pipe, PipeChannel.ERROR_PIPE_BUSY).getMessage().contains("busy"));
        assertTrue(PipeChannel.openFailure(pipe, 87).getMessage().contains("Windows error 87"));
        assertFalse(PipeChannel.openFailure(pipe, 87) instanceof NoSuchFileException);
    }
}
