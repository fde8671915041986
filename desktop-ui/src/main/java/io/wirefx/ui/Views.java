package io.wirefx.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Objects;
import java.util.ResourceBundle;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;

/** Loads an FXML view next to its controller class, with the given controller instance and the app's strings. */
public final class Views {
    private Views() {
    }

    public static Parent load(Object controller, String fxml, ResourceBundle bundle) {
        URL url = Objects.requireNonNull(controller.getClass().getResource(fxml), () -> "missing view " + fxml);
        FXMLLoader loader = new FXMLLoader(url, bundle);
        loader.setController(controller);
        try {
            return loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load " + fxml, e);
        }
    }
}
