package io.wirefx.core.config;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The portable rule for tunnel names, the same on every OS: letters, digits and {@code _=+.-}, 1 to 32 characters,
 * and not one of Windows' reserved device names ({@code CON}, {@code NUL}, {@code COM1} ... also with an extension,
 * as Windows treats {@code nul.txt} like {@code NUL}). A tunnel name is not an interface name: each platform derives
 * the interface from it (the platform (its {@code interfaceNameFor})).
 */
public final class TunnelNames {
    public static final int MAX_LENGTH = 32;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_=+.-]{1," + MAX_LENGTH + "}");
    private static final Set<String> RESERVED = Set.of("CON", "PRN", "AUX", "NUL",
            "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
            "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9");

    private TunnelNames() {
    }

    /** Why {@code name} is not a valid tunnel name, or empty if it is. */
    public static Optional<String> problem(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("a tunnel name must not be empty");
        }
        if (!NAME.matcher(name).matches()) {
            return Optional.of("a tunnel name has 1 to " + MAX_LENGTH + " characters out of letters, digits and "
                    + "_=+.- (got `" + name + "')");
        }
        if (name.equals(".") || name.equals("..")) {
            return Optional.of("`" + name + "' is not a tunnel name");
        }
        int dot = name.indexOf('.');
        String stem = (dot < 0 ? name : name.substring(0, dot)).toUpperCase(Locale.ROOT);
        if (RESERVED.contains(stem)) {
            return Optional.of("`" + name + "' is a reserved device name on Windows");
        }
        return Optional.empty();
    }

    public static boolean isValid(String name) {
        return problem(name).isEmpty();
    }

    /**
     * The tunnel name of a configuration file: its base name (after the last {@code /} or {@code \\}) without
     * {@code .conf}, as wg-quick names interfaces; empty if that is not a valid tunnel name.
     */
    public static Optional<String> fromFileName(String fileName) {
        String base = fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
        if (!base.endsWith(".conf")) {
            return Optional.empty();
        }
        String stem = base.substring(0, base.length() - ".conf".length());
        return isValid(stem) ? Optional.of(stem) : Optional.empty();
    }
}
