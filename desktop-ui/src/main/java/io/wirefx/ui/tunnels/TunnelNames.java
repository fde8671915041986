package io.wirefx.ui.tunnels;

import io.wirefx.core.config.Config;
import java.util.ResourceBundle;

/** The tunnel name rule as the user reads it, shared by the editor's name field and the rename dialog. */
public final class TunnelNames {
    private TunnelNames() {
    }

    /** What is wrong with {@code name} as a tunnel name (localized), or null if it is valid. */
    public static String problem(ResourceBundle bundle, String name) {
        String n = name == null ? "" : name;
        if (n.isEmpty()) {
            return bundle.getString("editor.nameRequired");
        }
        if (!Config.isValidInterfaceName(n)) {
            return bundle.getString("editor.nameInvalid");
        }
        return null;
    }
}
