package io.wirefx.core.config;

import java.util.Objects;
import java.util.Optional;

/**
 * A wg-quick configuration that cannot be accepted, with a machine-readable location and reason.
 *
 * <p>The core builds no sentences: a UI localizes from {@link #section()}, {@link #lineNumber()}, {@link #key()},
 * {@link #reason()} and {@link #value()}. {@link #getMessage()} composes a terse English-ish fallback such as
 * {@code line 7, [Peer] AllowedIPs: INVALID_CIDR ("10.0.0.300/24")}.
 *
 * <p>Secrets never appear here: {@link #value()} is always empty for {@code PrivateKey} and {@code PresharedKey},
 * for unknown keys and for lines that could not be split into a key and a value; an unknown key name is only kept
 * when it looks like a key name (so a stray pasted secret is not echoed).
 */
public final class BadConfigException extends Exception {

    /** Where the problem is. */
    public enum Section {
        /** Outside any section, or the file as a whole. */
        TOP_LEVEL,
        INTERFACE,
        PEER;

        String header() {
            return switch (this) {
                case TOP_LEVEL -> "";
                case INTERFACE -> "[Interface]";
                case PEER -> "[Peer]";
            };
        }
    }

    /** What is wrong. Shared with {@link InvalidValueException}, which builders and value parsers throw. */
    public enum Reason {
        /** A key this section does not know. */
        UNKNOWN_KEY,
        /** A {@code [Header]} other than {@code [Interface]} or {@code [Peer]}. */
        UNKNOWN_SECTION,
        /** No {@code [Interface]} section at all (section() is INTERFACE, lineNumber() is 0). */
        MISSING_SECTION,
        /** A second {@code [Interface]} section. */
        DUPLICATE_SECTION,
        /** A {@code Key = Value} line before the first section header. */
        KEY_OUTSIDE_SECTION,
        /** A line that is neither a header, a {@code Key = Value} pair, a comment nor blank. */
        SYNTAX_ERROR,
        /** {@code Key =} with nothing after it, for a key that needs a value. */
        MISSING_VALUE,
        /** A single-valued key given twice in one section. */
        DUPLICATE_KEY,
        /** A key that is not 44 characters of Base64 encoding 32 bytes. */
        INVALID_KEY,
        /** Not a decimal (or, for FwMark, 0x-hex) number. */
        INVALID_NUMBER,
        /** A number outside the range the key allows. */
        NUMBER_OUT_OF_RANGE,
        /** Not {@code IP[/prefix]} with a valid IP literal and prefix. */
        INVALID_CIDR,
        /** Not an IPv4 or IPv6 literal (DNS servers). */
        INVALID_ADDRESS,
        /** Not {@code host:port} or {@code [IPv6]:port}. */
        INVALID_ENDPOINT,
        /** A port that is not a number in range. */
        INVALID_PORT,
        /** A port given as a service name ({@code http}); names would need a services lookup, so only numbers work. */
        SERVICE_NAME_UNSUPPORTED,
        /** Any other value the key does not accept (SaveConfig not true/false, a bad Table name or search domain). */
        INVALID_VALUE,
        /** The {@code [Interface]} section has no PrivateKey (reported at its header line). */
        MISSING_PRIVATE_KEY,
        /** A {@code [Peer]} section has no PublicKey (reported at its header line). */
        MISSING_PUBLIC_KEY,
        /** Two peers with the same PublicKey (reported at the second PublicKey line). */
        DUPLICATE_PEER,
        /** An interface name not matching {@code [a-zA-Z0-9_=+.-]{1,15}}. */
        INVALID_INTERFACE_NAME,
        /** The file is not valid UTF-8 (reported at the line holding the first bad byte). */
        INVALID_ENCODING,
        /** The input is larger than {@link Config#MAX_TEXT_LENGTH}. */
        TOO_LARGE
    }

    private final Section section;
    private final int lineNumber;
    private final String key;
    private final Reason reason;
    private final String value;

    /**
     * @param lineNumber 1-based, or 0 when the problem is not tied to a line
     * @param key        the canonical key name, or null
     * @param value      the offending text, or null; callers must never pass secret values
     */
    public BadConfigException(Section section, int lineNumber, String key, Reason reason, String value) {
        super();
        if (lineNumber < 0) {
            throw new IllegalArgumentException("lineNumber < 0");
        }
        this.section = Objects.requireNonNull(section, "section");
        this.lineNumber = lineNumber;
        this.key = key;
        this.reason = Objects.requireNonNull(reason, "reason");
        this.value = value;
    }

    public Section section() {
        return section;
    }

    /** 1-based line number, or 0 when the problem concerns the whole file. */
    public int lineNumber() {
        return lineNumber;
    }

    /** The key concerned, in canonical case ({@code AllowedIPs}), if any. */
    public Optional<String> key() {
        return Optional.ofNullable(key);
    }

    public Reason reason() {
        return reason;
    }

    /** The offending text (one list element for list keys); never present for secret keys. */
    public Optional<String> value() {
        return Optional.ofNullable(value);
    }

    @Override
    public String getMessage() {
        StringBuilder sb = new StringBuilder();
        if (lineNumber > 0) {
            sb.append("line ").append(lineNumber);
        }
        String header = section.header();
        if (!header.isEmpty()) {
            if (!sb.isEmpty()) {
                sb.append(", ");
            }
            sb.append(header);
        }
        if (key != null) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(key);
        }
        if (!sb.isEmpty()) {
            sb.append(": ");
        }
        sb.append(reason.name());
        if (value != null) {
            sb.append(" (\"").append(value).append("\")");
        }
        return sb.toString();
    }
}
