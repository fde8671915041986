package io.wirefx.ui.tunnels;

import java.util.ResourceBundle;

/** The tunnel name rule ({@link io.wirefx.core.config.TunnelNames}) as the user reads it, shared by the editor's name field and the rename dialog. */
public final class TunnelNames {
    private TunnelNames() {
    }

    /** What is wrong with {@code name} as a tunnel name (localized), or null if it is valid. */
    public static String problem(ResourceBundle bundle, String name) {
        String n = name == null ? "" : name;
        if (n.isEmpty()) {
            return bundle.getString("editor.nameRequired");
        }
        if (!io.wirefx.core.config.TunnelNames.isValid(n)) {
            return bundle.getString("editor.nameInvalid");
        }
        return null;
    }
}
