package io.wirefx.daemon.ipc;

import io.wirefx.ipc.ClientHello;
import io.wirefx.ipc.FrameCodec;
import io.wirefx.ipc.IpcJson;
import io.wirefx.ipc.Message;
import io.wirefx.ipc.Protocol;
import io.wirefx.ipc.ProtocolException;
import io.wirefx.ipc.ServerHello;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/** A protocol-level test client that can also misbehave. */
final class RawClient implements AutoCloseable {
    final SocketChannel ch;

    RawClient(Path socket) throws IOException {
        ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
    }

    static RawClient hello(Path socket) throws Exception {
        RawClient c = new RawClient(socket);
        c.send(new ClientHello(Protocol.VERSION, "raw"));
        Message m = c.read();
        if (!(m instanceof ServerHello)) {
            throw new AssertionError("expected a server hello, got " + m);
        }
        return c;
    }

    void send(Message m) throws IOException {
        FrameCodec.writeMessage(ch, m);
    }

    void sendBytes(byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** The next message; null at end of stream or when the server reset the connection. */
    Message read() throws IOException, ProtocolException {
        try {
            return FrameCodec.readMessage(ch);
        } catch (java.net.SocketException e) {
            return null; // connection reset: the server closed with our data unread
        }
    }

    /** Reads until the server closes; returns the messages seen. */
    java.util.List<Message> readUntilClosed() throws Exception {
        java.util.List<Message> out = new java.util.ArrayList<>();
        Message m;
        while ((m = read()) != null) {
            out.add(m);
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
