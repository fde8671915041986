package io.wirefx.ipc;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FrameCodecTest {

    /** Counts bytes handed out, so a test can prove the payload of a refused frame was never read. */
    private static final class CountingStream extends InputStream {
        private final byte[] data;
        int pos;

        CountingStream(byte[] data) {
            this.data = data;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= data.length) {
                return -1;
            }
            int n = Math.min(len, Math.min(data.length - pos, 3)); // short reads on purpose
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    private static byte[] header(long length) {
        return ByteBuffer.allocate(4).putInt((int) length).array();
    }

    @Test
    void framesRoundTripOverStreamsAndChannels() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] a = "{\"type\":\"ping\",\"id\":1}".getBytes();
        byte[] b = new byte[0];
        byte[] c = new byte[70_000];
        Arrays.fill(c, (byte) 'x');
        FrameCodec.writeFrame(out, a, 1 << 20);
        FrameCodec.writeFrame(Channels.newChannel(out), b, 1 << 20);
        FrameCodec.writeFrame(out, c, 1 << 20);
        byte[] wire = out.toByteArray();
        assertEquals(12 + a.length + c.length, wire.length);
        assertArrayEquals(new byte[] {0, 0, 0, (byte) a.length}, Arrays.copyOf(wire, 4));

        InputStream in = new CountingStream(wire);
        assertArrayEquals(a, FrameCodec.readFrame(in, 1 << 20));
        assertArrayEquals(b, FrameCodec.readFrame(in, 1 << 20));
        assertArrayEquals(c, FrameCodec.readFrame(in, 1 << 20));
        assertNull(FrameCodec.readFrame(in, 1 << 20));

        ReadableByteChannel ch = Channels.newChannel(new CountingStream(wire));
        assertArrayEquals(a, FrameCodec.readFrame(ch, 1 << 20));
        assertArrayEquals(b, FrameCodec.readFrame(ch, 1 << 20));
        assertArrayEquals(c, FrameCodec.readFrame(ch, 1 << 20));
        assertNull(FrameCodec.readFrame(ch, 1 << 20));
    }

    @Test
    void oversizedPrefixIsRefusedBeforeReadingThePayload() {
        for (long announced : new long[] {100_000_000L, 0xFFFF_FFFFL, 0x8000_0000L, (1 << 20) + 1}) {
            byte[] wire = new byte[4 + 64];
            System.arraycopy(header(announced), 0, wire, 0, 4);
            CountingStream s = new CountingStream(wire);
            FrameTooLargeException e = assertThrows(FrameTooLargeException.class,
                    () -> FrameCodec.readFrame(s, 1 << 20));
            assertEquals(announced, e.length());
            assertEquals(4, s.pos, "nothing past the length prefix may be read");

            CountingStream s2 = new CountingStream(wire);
            assertThrows(FrameTooLargeException.class, () -> FrameCodec.readFrame(Channels.newChannel(s2), 1 << 20));
        }
    }

    @Test
    void limitIsInclusive() throws IOException {
        byte[] wire = new byte[4 + 10];
        System.arraycopy(header(10), 0, wire, 0, 4);
        assertEquals(10, FrameCodec.readFrame(new ByteArrayInputStream(wire), 10).length);
        assertThrows(FrameTooLargeException.class, () -> FrameCodec.readFrame(new ByteArrayInputStream(wire), 9));
    }

    @Test
    void truncatedFramesAreEofErrors() {
        byte[] halfHeader = {0, 0};
        byte[] halfPayload = new byte[4 + 5];
        System.arraycopy(header(10), 0, halfPayload, 0, 4);
        assertThrows(EOFException.class, () -> FrameCodec.readFrame(new ByteArrayInputStream(halfHeader), 100));
        assertThrows(EOFException.class, () -> FrameCodec.readFrame(new ByteArrayInputStream(halfPayload), 100));
        assertThrows(EOFException.class,
                () -> FrameCodec.readFrame(Channels.newChannel(new ByteArrayInputStream(halfHeader)), 100));
        assertThrows(EOFException.class,
                () -> FrameCodec.readFrame(Channels.newChannel(new ByteArrayInputStream(halfPayload)), 100));
    }

    @Test
    void writerRefusesOversizedPayloadsWithoutWriting() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThrows(FrameTooLargeException.class, () -> FrameCodec.writeFrame(out, new byte[11], 10));
        assertThrows(FrameTooLargeException.class,
                () -> FrameCodec.writeFrame(Channels.newChannel(out), new byte[11], 10));
        assertEquals(0, out.size());
    }

    @Test
    void messagesRoundTripThroughFrames() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        var ch = Channels.newChannel(out);
        for (Message m : Samples.all()) {
            FrameCodec.writeMessage(ch, m);
        }
        ReadableByteChannel in = Channels.newChannel(new ByteArrayInputStream(out.toByteArray()));
        for (Message m : Samples.all()) {
            assertEquals(m, FrameCodec.readMessage(in));
        }
        assertNull(FrameCodec.readMessage(in));
    }
}
