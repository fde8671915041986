package io.wirefx.ui.tray;

import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MenuBarAgentTest {

    @Test
    void onMacOsWithATrayTheAppHasNoDockIcon() {
        Properties p = new Properties();
        assertTrue(MenuBarAgent.configure("Mac OS X", true, p));
        assertEquals("true", p.getProperty(MenuBarAgent.UI_ELEMENT));
    }

    @Test
    void elsewhereOrWithoutATrayNothingChanges() {
        Properties p = new Properties();
        assertFalse(MenuBarAgent.configure("Linux", true, p));
        assertFalse(MenuBarAgent.configure("Mac OS X", false, p));
        assertNull(p.getProperty(MenuBarAgent.UI_ELEMENT));
        p.setProperty(MenuBarAgent.UI_ELEMENT, "false");
        assertFalse(MenuBarAgent.configure("Mac OS X", true, p), "an explicit -Dapple.awt.UIElement wins");
        assertEquals("false", p.getProperty(MenuBarAgent.UI_ELEMENT));
    }
}
