package io.wirefx.platform.windows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The named-pipe calls of the IPC and UAPI servers. {@link Win32Pipes} binds them (overlapped I/O, so a connection can
 * be read and written by two threads at once); tests use an in-memory fake. Handles are opaque longs.
 */
public interface PipeApi {

    /**
     * {@code CreateNamedPipeW} of one more instance of {@code name}: duplex, byte mode, remote clients rejected, the
     * given security descriptor; {@code first} adds {@code FILE_FLAG_FIRST_PIPE_INSTANCE} (fails if the name exists,
     * so nobody can squat it before us).
     */
    long create(String name, String sddl, boolean first) throws IOException;

    /** {@code ConnectNamedPipe}: waits for a client; throws once {@link #cancel} was called on the instance. */
    void connect(long pipe) throws IOException;

    /** Wakes a thread blocked in {@link #connect}, {@link #read} or {@link #write} on the instance ({@code CancelIoEx}). */
    void cancel(long pipe);

    /** Reads what is available (at least one byte); -1 when the client has gone. */
    int read(long pipe, ByteBuffer dst) throws IOException;

    /** Writes all of {@code src}. */
    int write(long pipe, ByteBuffer src) throws IOException;

    /** The connected client's token, read by impersonating it ({@code ImpersonateNamedPipeClient}). */
    TokenView clientToken(long pipe) throws IOException;

    /** {@code DisconnectNamedPipe} + {@code CloseHandle}. */
    void close(long pipe);

    /** The SID of a local group by name ({@code LookupAccountNameW}), if it exists. */
    Optional<String> groupSid(String name);
}
