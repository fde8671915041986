package io.wirefx.platform.windows;

import io.wirefx.ipc.Role;
import io.wirefx.platform.Caller;
import io.wirefx.platform.EndpointAccess;
import io.wirefx.platform.LocalConnection;
import io.wirefx.platform.LocalEndpoints;
import io.wirefx.platform.LocalServer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Objects;
import java.util.Optional;

/**
 * Local endpoints as named pipes ({@link PipeSecurity} says why). An address under
 * {@link WindowsPaths#UAPI_PIPE_PREFIX} gets wireguard-go's descriptor and admits administrators only; any other gets
 * {@link PipeSecurity#IPC_SDDL} and the roles of {@link CallerAuthorizer}, the operators being the members of the
 * endpoint's operator group ({@value CallerAuthorizer#OPERATORS_GROUP} for the service).
 *
 * <p>One pipe instance is always waiting: the first is created with {@code FILE_FLAG_FIRST_PIPE_INSTANCE} when the
 * server starts, and each {@link LocalServer#accept()} creates the next before it hands out the connected one. A
 * refused caller still gets a connection, with no role, so the IPC server can tell it why.
 */
public final class NamedPipeEndpoints implements LocalEndpoints {

    private final PipeApi pipes;

    public NamedPipeEndpoints(PipeApi pipes) {
        this.pipes = Objects.requireNonNull(pipes, "pipes");
    }

    /** wireguard-go's pipe for {@code interfaceName}'s UAPI; the directory is not used on Windows. */
    @Override
    public String uapiAddress(java.nio.file.Path uapiDir, String interfaceName) {
        return uapiPipe(interfaceName);
    }

    /** {@code \\.\pipe\ProtectedPrefix\Administrators\WireGuard\NAME}, where wireguard-windows' {@code wg.exe} looks. */
    static String uapiPipe(String interfaceName) {
        if (interfaceName.isEmpty() || interfaceName.contains("\\")) {
            throw new IllegalArgumentException("not an interface name: " + interfaceName);
        }
        return WindowsPaths.uapiPipe(interfaceName);
    }

    @Override
    public LocalServer listen(String address, EndpointAccess access) throws IOException {
        boolean uapi = address.startsWith(WindowsPaths.UAPI_PIPE_PREFIX);
        String sddl = uapi ? PipeSecurity.UAPI_SDDL : PipeSecurity.IPC_SDDL;
        Optional<String> operators = uapi || access.operatorGroup() == null ? Optional.empty()
                : pipes.groupSid(access.operatorGroup());
        CallerAuthorizer authorizer = new CallerAuthorizer(operators);
        long first = pipes.create(address, sddl, true);
        return new Server(address, sddl, authorizer, first);
    }

    private final class Server implements LocalServer {
        private final String address;
        private final String sddl;
        private final CallerAuthorizer authorizer;
        private long waiting;
        private volatile boolean closed;

        Server(String address, String sddl, CallerAuthorizer authorizer, long first) {
            this.address = address;
            this.sddl = sddl;
            this.authorizer = authorizer;
            this.waiting = first;
        }

        @Override
        public String address() {
            return address;
        }

        /** A named pipe lives as long as its handles: nobody can delete it from outside, so this only waits. */
        @Override
        public void awaitRemoval() throws InterruptedException {
            new java.util.concurrent.CountDownLatch(1).await();
        }

        @Override
        public LocalConnection accept() throws IOException {
            long pipe;
            synchronized (this) {
                if (closed) {
                    throw new ClosedChannelException();
                }
                pipe = waiting;
            }
            try {
                pipes.connect(pipe);
            } catch (IOException e) {
                if (closed) {
                    throw new ClosedChannelException();
                }
                throw e;
            }
            synchronized (this) {
                if (closed) {
                    pipes.close(pipe);
                    throw new ClosedChannelException();
                }
                waiting = pipes.create(address, sddl, false);
            }
            Caller caller;
            try {
                TokenView token = pipes.clientToken(pipe);
                Optional<Role> role = authorizer.decide(token);
                caller = new Caller(token.userName(), role);
            } catch (IOException e) {
                caller = new Caller("unknown (" + e.getMessage() + ")", Optional.empty());
            }
            return new Connection(pipe, caller);
        }

        @Override
        public void close() {
            long pipe;
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
                pipe = waiting;
            }
            pipes.cancel(pipe);
            pipes.close(pipe);
        }
    }

    private final class Connection implements LocalConnection {
        private final long pipe;
        private final Caller caller;
        private volatile boolean open = true;

        Connection(long pipe, Caller caller) {
            this.pipe = pipe;
            this.caller = caller;
        }

        @Override
        public Caller caller() {
            return caller;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            if (!open) {
                throw new ClosedChannelException();
            }
            return pipes.read(pipe, dst);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            if (!open) {
                throw new ClosedChannelException();
            }
            return pipes.write(pipe, src);
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            if (open) {
                open = false;
                pipes.cancel(pipe);
                pipes.close(pipe);
            }
        }
    }
}
