package io.wirefx.ipc;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of IPC frames through {@link FrameCodec} and Jackson ({@link IpcJson}; Jazzer,
 * docs/security.md): a byte stream as a local client could send it is read frame by frame as the service does. Each
 * frame is a message or a typed rejection ({@link ProtocolException} with a request-level code); the stream ends with
 * end of file, a frame cut short or a length above 1 MiB, and nothing else escapes. Every message that decodes
 * encodes again to an equal message.
 */
class IpcFrameCoverageFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void aClientByteStreamGivesMessagesOrTypedRejections(FuzzedDataProvider data) throws Exception {
        byte[] stream = data.consumeRemainingAsBytes();
        ReadableByteChannel in = Channels.newChannel(new ByteArrayInputStream(stream));
        for (int frames = 0; frames < 1000; frames++) {
            Message m;
            try {
                m = FrameCodec.readMessage(in);
            } catch (ProtocolException rejected) {
                assertTrue(rejected.code() == ErrorCode.BAD_REQUEST || rejected.code() == ErrorCode.UNKNOWN_REQUEST,
                        rejected.code().toString());
                continue;
            } catch (FrameTooLargeException | EOFException end) {
                return;
            }
            if (m == null) {
                return;
            }
            assertEquals(m, IpcJson.decode(IpcJson.encode(m)), "re-encoding changes " + m);
        }
    }
}
