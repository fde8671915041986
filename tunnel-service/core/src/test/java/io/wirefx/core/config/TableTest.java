package io.wirefx.core.config;

import io.wirefx.core.config.BadConfigException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TableTest {

    @Test
    void keywordsAreCaseInsensitive() {
        assertSame(Table.AUTO, Table.parse("AUTO"));
        assertSame(Table.OFF, Table.parse("Off"));
        assertSame(Table.MAIN, Table.parse("main"));
        assertEquals("off", Table.OFF.text());
    }

    @Test
    void numbersAndNames() {
        assertEquals(new Table.Id(1234), Table.parse("1234"));
        assertEquals(new Table.Id(0), Table.parse("0"));
        assertEquals(new Table.Id(4294967295L), Table.parse("4294967295"));
        assertEquals(new Table.Named("vpn_table-1.x"), Table.parse("vpn_table-1.x"));
        assertEquals("1234", Table.parse("1234").text());
    }

    @ParameterizedTest
    @CsvSource({
            "4294967296, NUMBER_OUT_OF_RANGE",
            "99999999999999999999999999, NUMBER_OUT_OF_RANGE",
            "0123, INVALID_NUMBER",
            "12abc, INVALID_NUMBER",
            "0x10, INVALID_NUMBER",
            "-1, INVALID_VALUE",
            "my table, INVALID_VALUE",
            "t;rm, INVALID_VALUE",
            "'', INVALID_VALUE",
    })
    void rejects(String text, Reason reason) {
        assertEquals(reason, assertThrows(InvalidValueException.class, () -> Table.parse(text)).reason());
    }

    @Test
    void namedCannotShadowKeywords() {
        assertThrows(InvalidValueException.class, () -> new Table.Named("Off"));
        assertThrows(InvalidValueException.class, () -> new Table.Id(-1));
    }
}
