package io.wirefx.core.config;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * wg-quick's {@code Table} setting: {@link #AUTO} (the default: main table plus default-route handling),
 * {@link #OFF} (no routes), {@link #MAIN}, a numeric table {@link Id} or a named table {@link Named}
 * (from {@code /etc/iproute2/rt_tables}).
 *
 * <p>The keywords are matched case-insensitively and written in lowercase.
 */
public sealed interface Table permits Table.Keyword, Table.Id, Table.Named {
    Table AUTO = Keyword.AUTO;
    Table OFF = Keyword.OFF;
    Table MAIN = Keyword.MAIN;

    /** The text written after {@code Table =}. */
    String text();

    /**
     * Parses a Table value.
     *
     * @throws InvalidValueException INVALID_NUMBER (digits with a leading zero, which ip(8) would read as octal),
     *                               NUMBER_OUT_OF_RANGE (above 2^32-1) or INVALID_VALUE (anything else)
     */
    static Table parse(String text) {
        Objects.requireNonNull(text, "text");
        for (Keyword k : Keyword.values()) {
            if (Syntax.equalsIgnoreAsciiCase(k.text(), text)) {
                return k;
            }
        }
        if (!text.isEmpty() && text.charAt(0) >= '0' && text.charAt(0) <= '9') {
            if (!Syntax.isAsciiDigits(text) || (text.length() > 1 && text.charAt(0) == '0')) {
                throw new InvalidValueException(BadConfigException.Reason.INVALID_NUMBER, text);
            }
            long id = Syntax.parseDecimal(text);
            if (id > Id.MAX) {
                throw new InvalidValueException(BadConfigException.Reason.NUMBER_OUT_OF_RANGE, text);
            }
            return new Id(id);
        }
        return new Named(text);
    }

    /** The named special values. */
    enum Keyword implements Table {
        AUTO, OFF, MAIN;

        @Override
        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }

        @Override
        public String toString() {
            return text();
        }
    }

    /** A routing table number, 0 to 2^32-1. */
    record Id(long id) implements Table {
        static final long MAX = 0xFFFF_FFFFL;

        public Id {
            if (id < 0 || id > MAX) {
                throw new InvalidValueException(BadConfigException.Reason.NUMBER_OUT_OF_RANGE, Long.toString(id));
            }
        }

        @Override
        public String text() {
            return Long.toString(id);
        }

        @Override
        public String toString() {
            return text();
        }
    }

    /**
     * A routing table name: a letter or '_' then up to 63 of {@code [A-Za-z0-9_.-]}; not one of the keywords
     * (case-insensitively).
     */
    record Named(String name) implements Table {
        private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,63}");

        public Named {
            Objects.requireNonNull(name, "name");
            if (!NAME.matcher(name).matches()) {
                throw new InvalidValueException(BadConfigException.Reason.INVALID_VALUE, name);
            }
            for (Keyword k : Keyword.values()) {
                if (Syntax.equalsIgnoreAsciiCase(k.text(), name)) {
                    throw new InvalidValueException(BadConfigException.Reason.INVALID_VALUE, name);
                }
            }
        }

        @Override
        public String text() {
            return name;
        }

        @Override
        public String toString() {
            return text();
        }
    }
}
