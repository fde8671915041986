package io.wirefx.ui.editor;

import io.wirefx.core.config.BadConfigException;
import io.wirefx.ipc.ConfigError;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * A configuration error to show: its 1-based line (0 for the whole text) and a localized sentence.
 *
 * @param line    1-based line, 0 if not tied to a line
 * @param message localized, e.g. {@code Line 7: [Peer] AllowedIPs: not a valid address range ("10.0.0.300/24")}
 */
public record ConfigProblem(int line, String message) {

    /** From the local parser. */
    public static ConfigProblem of(BadConfigException e, ResourceBundle bundle) {
        return compose(e.lineNumber(), e.section().name(), e.key().orElse(null), e.reason().name(),
                e.value().orElse(null), bundle);
    }

    /** From the service's answer. */
    public static ConfigProblem of(ConfigError e, ResourceBundle bundle) {
        return compose(e.line(), e.section(), e.key(), e.reason(), null, bundle);
    }

    private static ConfigProblem compose(int line, String section, String key, String reason, String value,
                                         ResourceBundle bundle) {
        StringBuilder where = new StringBuilder();
        if ("INTERFACE".equals(section)) {
            where.append("[Interface]");
        } else if ("PEER".equals(section)) {
            where.append("[Peer]");
        }
        if (key != null) {
            if (!where.isEmpty()) {
                where.append(' ');
            }
            where.append(key);
        }
        String why;
        try {
            why = bundle.getString("config.reason." + reason);
        } catch (MissingResourceException e) {
            why = reason;
        }
        StringBuilder sb = new StringBuilder();
        if (line > 0) {
            sb.append(String.format(bundle.getString("editor.errorAtLine"), line));
        }
        if (!where.isEmpty()) {
            sb.append(where).append(": ");
        }
        sb.append(why);
        if (value != null && !value.isEmpty()) {
            sb.append(" (\u201c").append(value).append("\u201d)");
        }
        return new ConfigProblem(line, sb.toString());
    }
}
