package io.wirefx.platform.macos;

import java.util.List;
import java.util.regex.Pattern;

/** Prints an argument vector as a POSIX shell command line: plain words bare, anything else in single quotes. */
final class ShellWords {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:%+=@,#-]+");

    private ShellWords() {
    }

    static String join(List<String> argv) {
        StringBuilder sb = new StringBuilder();
        for (String a : argv) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(quote(a));
        }
        return sb.toString();
    }

    static String quote(String word) {
        if (PLAIN.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
