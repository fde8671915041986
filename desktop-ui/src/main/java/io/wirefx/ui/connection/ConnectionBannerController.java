package io.wirefx.ui.connection;

import io.wirefx.ui.Views;
import java.util.Locale;
import java.util.ResourceBundle;
import javafx.fxml.FXML;
import javafx.scene.AccessibleRole;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;

/** The banner above everything: service down, access refused, operator mode. */
public final class ConnectionBannerController {
    private final ConnectionViewModel vm;
    private final Parent root;
    @FXML
    private HBox banner;
    @FXML
    private Label title;
    @FXML
    private Label help;
    @FXML
    private Button retry;
    @FXML
    private Button dismiss;

    public ConnectionBannerController(ConnectionViewModel vm, ResourceBundle bundle) {
        this.vm = vm;
        this.root = Views.load(this, "ConnectionBanner.fxml", bundle);
    }

    @FXML
    private void initialize() {
        banner.setId("connection-banner");
        banner.visibleProperty().bind(vm.visibleProperty());
        banner.managedProperty().bind(vm.visibleProperty());
        banner.setAccessibleRole(AccessibleRole.TEXT);
        banner.accessibleTextProperty().bind(vm.titleProperty().concat(". ").concat(vm.helpProperty()));
        title.textProperty().bind(vm.titleProperty());
        help.textProperty().bind(vm.helpProperty());
        retry.visibleProperty().bind(vm.retryableProperty());
        retry.managedProperty().bind(vm.retryableProperty());
        dismiss.visibleProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(
                () -> vm.stateProperty().get() != null && vm.stateProperty().get().isConnected(),
                vm.stateProperty()));
        dismiss.managedProperty().bind(dismiss.visibleProperty());
        vm.severityProperty().addListener((obs, o, n) -> style(n));
        style(vm.severityProperty().get());
    }

    private void style(ConnectionViewModel.Severity s) {
        banner.getStyleClass().removeIf(c -> c.startsWith("severity-"));
        banner.getStyleClass().add("severity-" + s.name().toLowerCase(Locale.ROOT));
    }

    @FXML
    private void retry() {
        vm.retry();
    }

    @FXML
    private void dismiss() {
        vm.dismiss();
    }

    public Parent root() {
        return root;
    }
}
