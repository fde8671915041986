package io.wirefx.ui.editor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wirefx.ui.editor.ConfigHighlighter.Kind;
import io.wirefx.ui.editor.ConfigHighlighter.Span;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ConfigHighlighterTest {

    private static String kinds(String text) {
        StringBuilder sb = new StringBuilder();
        for (Span s : ConfigHighlighter.highlight(text)) {
            if (s.kind() != Kind.PLAIN) {
                sb.append(s.kind()).append('(').append(text, s.start(), s.end()).append(") ");
            }
        }
        return sb.toString().strip();
    }

    @Test
    void marksSectionsKeysValuesSecretsAndComments() {
        String text = "[Interface] # me\nPrivateKey = abc\nAddress = 10.0.0.1/24\n\n[Peer]\nAllowedIPs=0.0.0.0/0\n";
        assertEquals("SECTION([Interface]) COMMENT(# me) KEY(PrivateKey) SECRET(abc) KEY(Address) "
                + "VALUE(10.0.0.1/24) SECTION([Peer]) KEY(AllowedIPs) VALUE(0.0.0.0/0)", kinds(text));
    }

    @Test
    void keysAreCaseInsensitiveAndBoundToTheirSection() {
        assertEquals("SECTION([interface]) KEY(listenport) VALUE(1)", kinds("[interface]\nlistenport = 1"));
        // AllowedIPs belongs to [Peer]: invalid in [Interface], and so is its value.
        assertEquals("SECTION([Interface]) INVALID(AllowedIPs) INVALID(1.2.3.4/32)",
                kinds("[Interface]\nAllowedIPs = 1.2.3.4/32"));
    }

    @Test
    void marksWhatIsWrongOnItsFace() {
        assertEquals("INVALID(Address) INVALID(x)", kinds("Address = x"));              // before any section
        assertEquals("INVALID([Wat]) INVALID(Key) INVALID(v)", kinds("[Wat]\nKey = v")); // unknown section
        assertEquals("SECTION([Peer]) INVALID(just words)", kinds("[Peer]\njust words"));
        assertEquals("SECTION([Peer]) INVALID(Bogus) INVALID(1)", kinds("[Peer]\nBogus = 1"));
    }

    @Test
    void handlesAllLineEndings() {
        assertEquals("SECTION([Peer]) KEY(Endpoint) VALUE(h:1) KEY(PublicKey) VALUE(k)",
                kinds("[Peer]\r\nEndpoint = h:1\rPublicKey = k\n"));
    }

    @Test
    void spansCoverRandomTextExactly() {
        Random rnd = new Random(42);
        String alphabet = "[]=#\n\r \tPeerInterfacePublicKeyAllowedIPs0123./:";
        for (int round = 0; round < 2_000; round++) {
            int len = rnd.nextInt(80);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < len; i++) {
                sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            }
            String text = sb.toString();
            List<Span> spans = ConfigHighlighter.highlight(text);
            int pos = 0;
            for (Span s : spans) {
                assertEquals(pos, s.start(), () -> "gap or overlap in " + text.replace("\n", "\\n"));
                assertTrue(s.end() > s.start());
                pos = s.end();
            }
            assertEquals(text.length(), pos);
        }
    }

    @Test
    void lineRangesFollowTheParsersLineNumbers() {
        String text = "a\r\nbb\rccc\n";
        assertArrayEquals(new int[] {0, 1}, ConfigHighlighter.lineRange(text, 1));
        assertArrayEquals(new int[] {3, 5}, ConfigHighlighter.lineRange(text, 2));
        assertArrayEquals(new int[] {6, 9}, ConfigHighlighter.lineRange(text, 3));
        assertArrayEquals(new int[] {10, 10}, ConfigHighlighter.lineRange(text, 4));
        assertNull(ConfigHighlighter.lineRange(text, 5));
        assertNull(ConfigHighlighter.lineRange(text, 0));
        assertEquals(4, ConfigHighlighter.lineCount(text));
    }
}
