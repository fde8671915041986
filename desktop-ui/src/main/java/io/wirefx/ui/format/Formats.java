package io.wirefx.ui.format;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.ResourceBundle;

/**
 * Human-readable numbers for the UI: byte counts ({@code 1.2 MiB}) and ages ({@code 12 seconds ago}).
 * Pure functions of their inputs (the clock is passed in), so they are testable without the FX thread.
 */
public final class Formats {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private final ResourceBundle bundle;
    private final Locale locale;

    public Formats(ResourceBundle bundle) {
        this.bundle = Objects.requireNonNull(bundle, "bundle");
        this.locale = bundle.getLocale() == null || bundle.getLocale().getLanguage().isEmpty()
                ? Locale.ENGLISH : bundle.getLocale();
    }

    /**
     * Binary-prefixed size, as wg(8) shows it: {@code 0 B}, {@code 1023 B}, {@code 1.2 MiB}, {@code 12.3 GiB}.
     * One decimal below 100 units, none above.
     */
    public String bytes(long count) {
        if (count < 0) {
            count = 0;
        }
        if (count < 1024) {
            return count + " B";
        }
        int unit = 0;
        double value = count;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        // 1023.96 KiB would print as "1024.0 KiB": carry it up instead.
        if (value >= 1023.95 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        String number = value < 99.95 ? String.format(locale, "%.1f", value) : String.format(locale, "%.0f", value);
        return number + " " + UNITS[unit];
    }

    /**
     * How long ago {@code thenEpochMillis} was, seen at {@code nowEpochMillis}: {@code Now}, {@code 12 seconds ago},
     * {@code 1 minute, 5 seconds ago}, {@code 2 hours, 3 minutes ago}, {@code 3 days ago}; {@code Never} for 0.
     * A time slightly in the future (clock skew between service and UI) counts as now.
     */
    public String ago(long thenEpochMillis, long nowEpochMillis) {
        if (thenEpochMillis <= 0) {
            return bundle.getString("time.never");
        }
        long seconds = Math.max(0, (nowEpochMillis - thenEpochMillis) / 1000);
        if (seconds == 0) {
            return bundle.getString("time.now");
        }
        return String.format(locale, bundle.getString("time.ago"), duration(Duration.ofSeconds(seconds)));
    }

    /** A duration as its two largest non-zero units: {@code 1 hour, 5 minutes}; {@code 12 seconds}. */
    public String duration(Duration d) {
        long total = Math.max(0, d.toSeconds());
        long days = total / 86_400;
        long hours = total / 3_600 % 24;
        long minutes = total / 60 % 60;
        long seconds = total % 60;
        long[] values = {days, hours, minutes, seconds};
        String[] keys = {"time.day", "time.hour", "time.minute", "time.second"};
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < values.length && shown < 2; i++) {
            if (values[i] == 0) {
                if (shown > 0) {
                    break; // "1 hour, 0 minutes" → "1 hour"; keep the two units adjacent
                }
                continue;
            }
            if (shown > 0) {
                sb.append(", ");
            }
            String key = keys[i] + (values[i] == 1 ? ".one" : ".many");
            sb.append(String.format(locale, bundle.getString(key), values[i]));
            shown++;
        }
        if (shown == 0) {
            sb.append(String.format(locale, bundle.getString("time.second.many"), 0));
        }
        return sb.toString();
    }
}
