package io.wirefx.ipc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.Pipe;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An {@link IpcTransport} for addresses {@code fake:NAME}, registered in the test class path's
 * {@code META-INF/services}: each {@link #open} starts an in-memory service on two {@link Pipe}s that answers the
 * hello (role from the address: {@code fake:operator} gives OPERATOR, else ADMIN), {@code Ping} and
 * {@code ListTunnels}, and closes the connection on {@code fake:drop} after the hello.
 */
public final class FakeTransport implements IpcTransport {

    /** Every hello the fake services received, in order. */
    static final List<ClientHello> HELLOS = new CopyOnWriteArrayList<>();
    /** Every request the fake services received, in order. */
    static final List<Request> REQUESTS = new CopyOnWriteArrayList<>();
    /** Set when a fake service saw its client close the connection. */
    static final List<String> CLOSED = new CopyOnWriteArrayList<>();

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public boolean handles(String address) {
        return address.startsWith("fake:");
    }

    @Override
    public ByteChannel open(String address) throws IOException {
        if (address.equals("fake:absent")) {
            throw new java.nio.file.NoSuchFileException(address);
        }
        Pipe toServer = Pipe.open();
        Pipe toClient = Pipe.open();
        Thread.ofPlatform().daemon().name("fake-service").start(() -> serve(address, toServer.source(), toClient.sink()));
        return new Duplex(toClient.source(), toServer.sink());
    }

    private static void serve(String address, Pipe.SourceChannel in, Pipe.SinkChannel out) {
        try (in; out) {
            ClientHello hello = (ClientHello) FrameCodec.readMessage(in);
            HELLOS.add(hello);
            Role role = address.equals("fake:operator") ? Role.OPERATOR : Role.ADMIN;
            FrameCodec.writeMessage(out, new ServerHello(Protocol.VERSION, "fake 1", role));
            if (address.equals("fake:drop")) {
                return;
            }
            while (true) {
                Message m = FrameCodec.readMessage(in);
                if (m == null) {
                    CLOSED.add(address);
                    return;
                }
                Request r = (Request) m;
                REQUESTS.add(r);
                Response answer = switch (r) {
                    case Request.Ping p -> new Response.Pong(p.id());
                    case Request.ListTunnels l -> new Response.TunnelList(l.id(), List.of());
                    default -> new Response.Failure(r.id(), ErrorCode.UNKNOWN_REQUEST, "fake: " + r, null);
                };
                FrameCodec.writeMessage(out, answer);
            }
        } catch (IOException | ProtocolException e) {
            CLOSED.add(address);
        }
    }

    /** Reads one pipe, writes the other; close closes both (a blocked reader fails with AsynchronousCloseException). */
    private record Duplex(Pipe.SourceChannel in, Pipe.SinkChannel out) implements ByteChannel {
        @Override
        public int read(ByteBuffer dst) throws IOException {
            return in.read(dst);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return out.write(src);
        }

        @Override
        public boolean isOpen() {
            return in.isOpen() && out.isOpen();
        }

        @Override
        public void close() throws IOException {
            try (in; out) {
                // both closed
            }
        }
    }
}
