package io.wirefx.ui.importing;

import io.wirefx.ui.Views;
import java.util.ResourceBundle;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.AccessibleRole;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;

/** The per-file results of the last import, above the tunnel list until dismissed. */
public final class ImportResultsController {
    private final ImportViewModel vm;
    private final Parent root;
    @FXML
    private VBox panel;
    @FXML
    private VBox rows;
    @FXML
    private Button close;

    public ImportResultsController(ImportViewModel vm, ResourceBundle bundle) {
        this.vm = vm;
        this.root = Views.load(this, "ImportResults.fxml", bundle);
    }

    @FXML
    private void initialize() {
        panel.setId("import-results");
        panel.visibleProperty().bind(Bindings.isNotEmpty(vm.results()));
        panel.managedProperty().bind(panel.visibleProperty());
        close.setId("import-results-close");
        vm.results().addListener((ListChangeListener<ImportResultRow>) c -> rebuild());
        rebuild();
    }

    private void rebuild() {
        rows.getChildren().clear();
        int i = 0;
        for (ImportResultRow r : vm.results()) {
            String file = r.file() == null || r.file().isEmpty() ? "" : r.file() + ": ";
            Label l = new Label((r.ok() ? "\u2714 " : "\u2716 ") + file + r.message());
            l.setId("import-result-" + i++);
            l.setWrapText(true);
            l.getStyleClass().add(r.ok() ? "import-ok" : "import-error");
            l.setAccessibleRole(AccessibleRole.TEXT);
            rows.getChildren().add(l);
        }
    }

    @FXML
    private void close() {
        vm.clearResults();
    }

    public Parent root() {
        return root;
    }
}
