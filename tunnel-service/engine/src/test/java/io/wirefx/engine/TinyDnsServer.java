package io.wirefx.engine;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A DNS responder for one name, enough for glibc's stub resolver: an {@code A} query for {@code name} gets the
 * current {@link #answer} (TTL 0), any other query for it an empty NOERROR answer, other names NXDOMAIN. Binds where
 * it is created (a namespace's loopback, port 53); one thread.
 */
final class TinyDnsServer implements AutoCloseable {
    private final DatagramSocket socket;
    private final String name;
    private volatile Inet4Address answer;
    final AtomicInteger aQueries = new AtomicInteger();

    TinyDnsServer(InetSocketAddress bindTo, String name, Inet4Address answer) throws SocketException {
        this.socket = new DatagramSocket(bindTo);
        this.name = name.toLowerCase(Locale.ROOT);
        this.answer = answer;
        Thread.ofPlatform().daemon().name("tiny-dns").start(this::serve);
    }

    void answer(Inet4Address address) {
        answer = address;
    }

    private void serve() {
        byte[] buf = new byte[512];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
                byte[] reply = reply(Arrays.copyOf(p.getData(), p.getLength()));
                if (reply != null) {
                    socket.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
                }
            } catch (IOException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    /** The reply to one query, or null for what is not a single-question query. */
    private byte[] reply(byte[] q) {
        if (q.length < 12 || (q[2] & 0x80) != 0 || ((q[4] << 8) | (q[5] & 0xff)) != 1) {
            return null;
        }
        StringBuilder qname = new StringBuilder();
        int i = 12;
        while (i < q.length && q[i] != 0) {
            int len = q[i] & 0xff;
            if (len > 63 || i + 1 + len > q.length) {
                return null;
            }
            if (!qname.isEmpty()) {
                qname.append('.');
            }
            qname.append(new String(q, i + 1, len, java.nio.charset.StandardCharsets.US_ASCII));
            i += 1 + len;
        }
        int questionEnd = i + 5; // the root label, QTYPE, QCLASS
        if (questionEnd > q.length) {
            return null;
        }
        int qtype = ((q[i + 1] & 0xff) << 8) | (q[i + 2] & 0xff);
        boolean ours = qname.toString().toLowerCase(Locale.ROOT).equals(name);
        boolean a = ours && qtype == 1;
        if (a) {
            aQueries.incrementAndGet();
        }
        ByteBuffer r = ByteBuffer.allocate(questionEnd + 16);
        r.put(q, 0, 2);                                    // id
        r.putShort((short) (0x8180 | (ours ? 0 : 3))); // response, recursion desired and available, rcode
        r.putShort((short) 1).putShort((short) (a ? 1 : 0)).putShort((short) 0).putShort((short) 0);
        r.put(q, 12, questionEnd - 12);
        if (a) {
            r.putShort((short) 0xc00c).putShort((short) 1).putShort((short) 1).putInt(0).putShort((short) 4);
            r.put(answer.getAddress());
        }
        return Arrays.copyOf(r.array(), r.position());
    }

    static Inet4Address v4(String literal) {
        try {
            return (Inet4Address) InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
