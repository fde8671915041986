package io.wirefx.core.uapi;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of the UAPI text protocol (Jazzer; docs/security.md): bytes arrive in fuzzer-chosen chunks
 * at a session over the in-memory device, which fails the test if the session touches a peer that does not exist.
 * The session only ever answers with well-formed replies or closes, and the device still reads back cleanly.
 */
class UapiCoverageFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void anyBytesOnlyGetWellFormedReplies(FuzzedDataProvider data) {
        int maxLine = data.pickValue(new int[]{64, 512, 4096});
        InMemoryUapiDevice device = new InMemoryUapiDevice();
        UapiSession session = new UapiSession(device, maxLine);
        byte[] bytes = data.consumeRemainingAsBytes();
        List<String> replies = new ArrayList<>();
        int chunk = 1 + (bytes.length == 0 ? 0 : (bytes[bytes.length - 1] & 0x3f));
        for (int i = 0; i < bytes.length && !session.isClosed(); i += chunk) {
            replies.addAll(session.feedBytes(bytes, i, Math.min(chunk, bytes.length - i)));
        }
        replies.addAll(session.endOfInput());
        UapiFuzzTest.assertValidReplies(replies);
        assertTrue(session.isClosed());
        UapiFuzzTest.assertValidReplies(List.of(UapiProtocol.formatGetReply(device.snapshot())));
    }
}
