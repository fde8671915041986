package io.wirefx.ui.theme;

import java.util.Objects;
import javafx.application.ColorScheme;
import javafx.application.Platform;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.ObservableList;
import javafx.scene.Scene;

/**
 * Light and dark styling on top of Modena, following the desktop's color scheme where JavaFX can tell
 * ({@link Platform#getPreferences()}, JavaFX 22+; GTK reports it from the theme name or the portal). The
 * {@code wirefx.theme} system property ({@code light}, {@code dark}) overrides it.
 */
public final class Theme {
    private static final String BASE = css("app.css");
    private static final String LIGHT = css("light.css");
    private static final String DARK = css("dark.css");
    private static final ObjectProperty<ColorScheme> SCHEME = new SimpleObjectProperty<>(ColorScheme.LIGHT);
    private static boolean following;

    private Theme() {
    }

    private static String css(String name) {
        return Objects.requireNonNull(Theme.class.getResource(name), name).toExternalForm();
    }

    /** Starts following the platform's color scheme (FX thread, once the toolkit runs). */
    public static synchronized void followPlatform() {
        if (following) {
            return;
        }
        following = true;
        String forced = System.getProperty("wirefx.theme");
        if ("dark".equalsIgnoreCase(forced)) {
            SCHEME.set(ColorScheme.DARK);
            return;
        }
        if ("light".equalsIgnoreCase(forced)) {
            SCHEME.set(ColorScheme.LIGHT);
            return;
        }
        try {
            Platform.Preferences prefs = Platform.getPreferences();
            SCHEME.bind(prefs.colorSchemeProperty());
        } catch (RuntimeException | LinkageError e) {
            SCHEME.set(ColorScheme.LIGHT); // a toolkit without preferences (headless Monocle)
        }
    }

    /** Uses {@code scheme} from now on instead of following the platform (screenshots, command-line flags). */
    public static synchronized void force(ColorScheme scheme) {
        following = true;
        SCHEME.unbind();
        SCHEME.set(scheme);
    }

    public static ObjectProperty<ColorScheme> schemeProperty() {
        return SCHEME;
    }

    /** Styles {@code scene} now and whenever the scheme changes. */
    public static void apply(Scene scene) {
        followPlatform();
        update(scene.getStylesheets(), SCHEME.get());
        SCHEME.addListener((obs, o, n) -> update(scene.getStylesheets(), n));
    }

    private static void update(ObservableList<String> sheets, ColorScheme scheme) {
        sheets.removeAll(BASE, LIGHT, DARK);
        sheets.addAll(BASE, scheme == ColorScheme.DARK ? DARK : LIGHT);
    }
}
