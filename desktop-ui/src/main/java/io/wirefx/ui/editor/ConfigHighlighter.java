package io.wirefx.ui.editor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Splits wg-quick text into styled spans for the editor: section headers, keys, values, comments, and what is
 * wrong on its face (unknown sections and keys, keys outside a section, lines that are no {@code Key = Value}).
 * Spans cover the text exactly, in order, with no gaps. Line endings are LF, CRLF or CR, as the parser's.
 */
public final class ConfigHighlighter {

    /** The kind of a span; {@link #styleClass()} is its CSS class. */
    public enum Kind {
        PLAIN, SECTION, KEY, VALUE, SECRET, COMMENT, INVALID;

        public String styleClass() {
            return "cfg-" + name().toLowerCase(Locale.ROOT);
        }
    }

    /** A half-open range {@code [start, end)} of the text. */
    public record Span(int start, int end, Kind kind) {
    }

    private static final Set<String> INTERFACE_KEYS = Set.of("privatekey", "listenport", "fwmark", "address", "dns",
            "mtu", "table", "preup", "postup", "predown", "postdown", "saveconfig");
    private static final Set<String> PEER_KEYS = Set.of("publickey", "presharedkey", "allowedips", "endpoint",
            "persistentkeepalive");
    private static final Set<String> SECRET_KEYS = Set.of("privatekey", "presharedkey");

    private ConfigHighlighter() {
    }

    public static List<Span> highlight(String text) {
        List<Span> spans = new ArrayList<>();
        String section = null; // null: before any header; "" : unknown section
        int pos = 0;
        int n = text.length();
        while (pos < n) {
            int end = pos;
            while (end < n && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
                end++;
            }
            section = line(text, pos, end, section, spans);
            int next = end;
            if (next < n && text.charAt(next) == '\r') {
                next++;
            }
            if (next < n && text.charAt(next) == '\n' && (next == end || text.charAt(end) == '\r')) {
                next++;
            }
            if (next > end) {
                add(spans, end, next, Kind.PLAIN);
            }
            pos = next;
        }
        return spans;
    }

    /** Highlights one line {@code [start, end)}; returns the section in force after it. */
    private static String line(String text, int start, int end, String section, List<Span> spans) {
        int hash = text.indexOf('#', start);
        int contentEnd = hash >= 0 && hash < end ? hash : end;
        String content = text.substring(start, contentEnd);
        String trimmed = content.strip();
        String nextSection = section;
        if (trimmed.isEmpty()) {
            add(spans, start, contentEnd, Kind.PLAIN);
        } else if (trimmed.startsWith("[")) {
            String name = trimmed.endsWith("]") ? trimmed.substring(1, trimmed.length() - 1).strip() : null;
            String lower = name == null ? null : name.toLowerCase(Locale.ROOT);
            boolean known = "interface".equals(lower) || "peer".equals(lower);
            nextSection = known ? lower : "";
            int lead = content.indexOf('[');
            add(spans, start, start + lead, Kind.PLAIN);
            int trail = start + lead + trimmed.length();
            add(spans, start + lead, trail, known ? Kind.SECTION : Kind.INVALID);
            add(spans, trail, contentEnd, Kind.PLAIN);
        } else {
            int eq = content.indexOf('=');
            if (eq < 0) {
                add(spans, start, contentEnd, Kind.INVALID);
            } else {
                String key = content.substring(0, eq).strip();
                String lower = key.toLowerCase(Locale.ROOT);
                boolean known = section != null && ("interface".equals(section) ? INTERFACE_KEYS.contains(lower)
                        : "peer".equals(section) && PEER_KEYS.contains(lower));
                int keyStart = start + content.indexOf(key.isEmpty() ? "=" : key);
                int keyEnd = key.isEmpty() ? keyStart : keyStart + key.length();
                add(spans, start, keyStart, Kind.PLAIN);
                add(spans, keyStart, keyEnd, known ? Kind.KEY : Kind.INVALID);
                add(spans, keyEnd, start + eq + 1, Kind.PLAIN);
                String rest = content.substring(eq + 1);
                int valueStart = start + eq + 1 + (rest.length() - rest.stripLeading().length());
                int valueEnd = start + eq + 1 + rest.stripTrailing().length();
                add(spans, start + eq + 1, valueStart, Kind.PLAIN);
                Kind valueKind = !known ? Kind.INVALID : SECRET_KEYS.contains(lower) ? Kind.SECRET : Kind.VALUE;
                add(spans, valueStart, valueEnd, valueKind);
                add(spans, Math.max(valueStart, valueEnd), contentEnd, Kind.PLAIN);
            }
        }
        if (contentEnd < end) {
            add(spans, contentEnd, end, Kind.COMMENT);
        }
        return nextSection;
    }

    private static void add(List<Span> spans, int start, int end, Kind kind) {
        if (end <= start) {
            return;
        }
        if (!spans.isEmpty()) {
            Span last = spans.getLast();
            if (last.kind() == kind && last.end() == start) {
                spans.set(spans.size() - 1, new Span(last.start(), end, kind));
                return;
            }
        }
        spans.add(new Span(start, end, kind));
    }

    /** The {@code [start, end)} offsets of 1-based {@code line} in {@code text}, or null if there is no such line. */
    public static int[] lineRange(String text, int line) {
        if (line < 1) {
            return null;
        }
        int pos = 0;
        int n = text.length();
        for (int current = 1; ; current++) {
            int end = pos;
            while (end < n && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
                end++;
            }
            if (current == line) {
                return new int[] {pos, end};
            }
            if (end >= n) {
                return null;
            }
            pos = end + (text.charAt(end) == '\r' && end + 1 < n && text.charAt(end + 1) == '\n' ? 2 : 1);
        }
    }

    /** Number of lines a text area shows for {@code text} (line breaks + 1). */
    public static int lineCount(String text) {
        int lines = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
                lines++;
            }
        }
        return lines;
    }
}
