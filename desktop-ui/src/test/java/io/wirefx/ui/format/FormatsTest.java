package io.wirefx.ui.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wirefx.ui.TestTexts;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FormatsTest {
    private final Formats f = new Formats(TestTexts.BUNDLE);

    @Test
    void bytesUseBinaryUnitsWithOneDecimalBelowHundred() {
        assertEquals("0 B", f.bytes(0));
        assertEquals("1023 B", f.bytes(1023));
        assertEquals("1.0 KiB", f.bytes(1024));
        assertEquals("1.5 KiB", f.bytes(1536));
        assertEquals("1.2 MiB", f.bytes(1_258_291)); // 1.2 * 2^20
        assertEquals("150 MiB", f.bytes(150L << 20));
        assertEquals("12.3 GiB", f.bytes((long) (12.3 * (1L << 30))));
        assertEquals("8.0 EiB", f.bytes(Long.MAX_VALUE));
    }

    @Test
    void bytesCarryInsteadOfPrinting1024() {
        assertEquals("1.0 MiB", f.bytes(1024L * 1024 - 1));
        assertEquals("1.0 GiB", f.bytes((1L << 30) - 10));
    }

    @Test
    void negativeCountsShowAsZero() {
        assertEquals("0 B", f.bytes(-5));
    }

    @Test
    void agoShowsTheTwoLargestUnits() {
        long now = 1_700_000_000_000L;
        assertEquals("12 seconds ago", f.ago(now - 12_000, now));
        assertEquals("1 second ago", f.ago(now - 1_500, now));
        assertEquals("1 minute, 5 seconds ago", f.ago(now - 65_000, now));
        assertEquals("2 hours ago", f.ago(now - 7_200_000, now));
        assertEquals("2 hours, 1 minute ago", f.ago(now - 7_260_000, now));
        assertEquals("3 days, 4 hours ago", f.ago(now - (3 * 86_400_000L + 4 * 3_600_000L + 59_000), now));
    }

    @Test
    void agoHandlesNeverNowAndClockSkew() {
        long now = 1_700_000_000_000L;
        assertEquals("Never", f.ago(0, now));
        assertEquals("Now", f.ago(now - 400, now));
        assertEquals("Now", f.ago(now + 5_000, now)); // the service's clock is a little ahead
    }

    @Test
    void durationOfZeroIsZeroSeconds() {
        assertEquals("0 seconds", f.duration(Duration.ZERO));
        assertEquals("1 day", f.duration(Duration.ofDays(1)));
    }
}
