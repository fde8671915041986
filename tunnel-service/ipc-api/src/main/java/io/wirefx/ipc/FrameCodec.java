package io.wirefx.ipc;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * Framing: a 4-byte big-endian unsigned length, then that many bytes of UTF-8 JSON. A length above the limit is
 * rejected ({@link FrameTooLargeException}) before anything is allocated or read past the prefix.
 *
 * <p>Readers return null at a clean end of stream (before a frame's first byte) and throw {@link EOFException} when
 * the stream ends inside a frame. Channel methods expect blocking channels.
 */
public final class FrameCodec {
    /** Size of the length prefix. */
    public static final int HEADER_BYTES = 4;

    private FrameCodec() {
    }

    /** Reads one frame payload of at most {@code maxBytes}; null at end of stream. */
    public static byte[] readFrame(ReadableByteChannel in, int maxBytes) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        if (!readFully(in, header, true)) {
            return null;
        }
        int length = checkLength(Integer.toUnsignedLong(header.getInt(0)), maxBytes);
        ByteBuffer payload = ByteBuffer.allocate(length);
        readFully(in, payload, false);
        return payload.array();
    }

    /** Reads one frame payload of at most {@code maxBytes}; null at end of stream. */
    public static byte[] readFrame(InputStream in, int maxBytes) throws IOException {
        byte[] header = new byte[HEADER_BYTES];
        int got = in.readNBytes(header, 0, HEADER_BYTES);
        if (got == 0) {
            return null;
        }
        if (got < HEADER_BYTES) {
            throw new EOFException("stream ended inside a frame header");
        }
        long announced = ((header[0] & 0xFFL) << 24) | ((header[1] & 0xFF) << 16) | ((header[2] & 0xFF) << 8)
                | (header[3] & 0xFF);
        int length = checkLength(announced, maxBytes);
        byte[] payload = new byte[length];
        if (in.readNBytes(payload, 0, length) < length) {
            throw new EOFException("stream ended inside a frame");
        }
        return payload;
    }

    /** Writes one frame; refuses payloads over {@code maxBytes} without writing anything. */
    public static void writeFrame(WritableByteChannel out, byte[] payload, int maxBytes) throws IOException {
        checkLength(payload.length, maxBytes);
        ByteBuffer buf = ByteBuffer.allocate(HEADER_BYTES + payload.length);
        buf.putInt(payload.length).put(payload).flip();
        while (buf.hasRemaining()) {
            out.write(buf);
        }
    }

    /** Writes one frame; refuses payloads over {@code maxBytes} without writing anything. */
    public static void writeFrame(OutputStream out, byte[] payload, int maxBytes) throws IOException {
        checkLength(payload.length, maxBytes);
        int n = payload.length;
        out.write(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
        out.write(payload);
        out.flush();
    }

    /** The frame (header + payload) for {@code payload}. */
    public static byte[] frame(byte[] payload) {
        return ByteBuffer.allocate(HEADER_BYTES + payload.length).putInt(payload.length).put(payload).array();
    }

    /** Reads and decodes one message (limit {@link Protocol#MAX_FRAME_BYTES}); null at end of stream. */
    public static Message readMessage(ReadableByteChannel in) throws IOException, ProtocolException {
        byte[] payload = readFrame(in, Protocol.MAX_FRAME_BYTES);
        return payload == null ? null : IpcJson.decode(payload);
    }

    /** Encodes and writes one message (limit {@link Protocol#MAX_FRAME_BYTES}). */
    public static void writeMessage(WritableByteChannel out, Message message) throws IOException {
        writeFrame(out, IpcJson.encode(message), Protocol.MAX_FRAME_BYTES);
    }

    private static int checkLength(long length, int maxBytes) throws FrameTooLargeException {
        if (length > maxBytes) {
            throw new FrameTooLargeException(length, maxBytes);
        }
        return (int) length;
    }

    /** Fills {@code buf}; false if the stream ended before its first byte and {@code eofOk}. */
    private static boolean readFully(ReadableByteChannel in, ByteBuffer buf, boolean eofOk) throws IOException {
        while (buf.hasRemaining()) {
            if (in.read(buf) < 0) {
                if (eofOk && buf.position() == 0) {
                    return false;
                }
                throw new EOFException("stream ended inside a frame");
            }
        }
        return true;
    }
}
