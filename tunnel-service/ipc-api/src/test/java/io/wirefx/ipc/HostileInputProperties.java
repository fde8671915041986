package io.wirefx.ipc;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hostile bytes give typed rejections only: ProtocolException from decode, EOF/too-large from framing. */
class HostileInputProperties {

    @Property(tries = 500)
    void randomBytesNeverThrowAnythingElse(@ForAll @Size(max = 300) byte[] bytes) {
        try {
            IpcJson.decode(bytes);
        } catch (ProtocolException expected) {
            assertTrue(expected.code() == ErrorCode.BAD_REQUEST || expected.code() == ErrorCode.UNKNOWN_REQUEST);
        }
    }

    @Property(tries = 500)
    void mutatedValidMessagesNeverThrowAnythingElse(@ForAll("mutated") byte[] json) {
        try {
            IpcJson.decode(json);
        } catch (ProtocolException expected) {
            // typed rejection
        }
    }

    @Property(tries = 300)
    void randomStreamsFrameOrFailCleanly(@ForAll @Size(max = 64) byte[] bytes) throws Exception {
        var in = new ByteArrayInputStream(bytes);
        try {
            while (FrameCodec.readFrame(in, 32) != null) {
                // keep reading
            }
        } catch (FrameTooLargeException | EOFException expected) {
            // typed rejection
        }
    }

    @Provide
    Arbitrary<byte[]> mutated() {
        List<byte[]> valid = Samples.all().stream().map(IpcJson::encode).toList();
        return Arbitraries.of(valid).flatMap(v -> Arbitraries.integers().between(0, v.length - 1).list().ofMaxSize(4)
                .flatMap(positions -> Arbitraries.strings().withChars("{}[]\":,0-9aZ\\ \u00e9").ofLength(1)
                        .map(s -> {
                            byte[] copy = v.clone();
                            byte b = s.getBytes(StandardCharsets.UTF_8)[0];
                            for (int p : positions) {
                                copy[p] = b;
                            }
                            return copy;
                        })));
    }
}
