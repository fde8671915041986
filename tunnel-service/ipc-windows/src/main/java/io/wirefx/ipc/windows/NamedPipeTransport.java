package io.wirefx.ipc.windows;

import io.wirefx.ipc.IpcTransport;

import java.io.IOException;
import java.nio.channels.ByteChannel;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The Windows service's endpoint for {@link io.wirefx.ipc.IpcClient}: the named pipe {@value #SERVICE_PIPE} (or any
 * {@code \\.\pipe\...} address), opened as a {@link PipeChannel}. Registered for {@link java.util.ServiceLoader}; on
 * Windows it also supplies the default address, so the CLI and the app reach the service without options.
 */
public final class NamedPipeTransport implements IpcTransport {

    /** The pipe the service listens on (platform-windows' {@code WindowsPaths.IPC_PIPE}). */
    public static final String SERVICE_PIPE = "\\\\.\\pipe\\WireFX\\service";
    static final String PREFIX = "\\\\.\\pipe\\";
    /** How long to wait while every instance of the pipe is busy. */
    static final Duration BUSY_WAIT = Duration.ofSeconds(5);

    private final boolean windows;

    public NamedPipeTransport() {
        this(System.getProperty("os.name", "").startsWith("Windows"));
    }

    NamedPipeTransport(boolean windows) {
        this.windows = windows;
    }

    @Override
    public String name() {
        return "pipe";
    }

    @Override
    public boolean handles(String address) {
        return address.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
                || address.toLowerCase(Locale.ROOT).startsWith("//./pipe/");
    }

    @Override
    public Optional<String> defaultAddress() {
        return windows ? Optional.of(SERVICE_PIPE) : Optional.empty();
    }

    @Override
    public ByteChannel open(String address) throws IOException {
        if (!windows) {
            throw new IOException(address + " is a Windows named pipe; this is " + System.getProperty("os.name"));
        }
        return PipeChannel.open(address.replace('/', '\\'), BUSY_WAIT);
    }
}
