package io.wirefx.ui.settings;

import io.wirefx.ui.Views;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;

import java.util.ResourceBundle;

/** The "Settings" section of the tunnel detail ({@code TunnelSettings.fxml}) bound to its view model. */
public final class TunnelSettingsController {
    private final TunnelSettingsViewModel vm;
    private final Parent root;

    @FXML
    private CheckBox blockUntunneled;
    @FXML
    private CheckBox allowLan;
    @FXML
    private Label blockNote;
    @FXML
    private Label onDemandNote;
    @FXML
    private CheckBox onWifi;
    @FXML
    private CheckBox onWired;
    @FXML
    private TextArea trusted;
    @FXML
    private Button apply;
    @FXML
    private Label status;

    public TunnelSettingsController(TunnelSettingsViewModel vm, ResourceBundle bundle) {
        this.vm = vm;
        this.root = Views.load(this, "TunnelSettings.fxml", bundle);
    }

    public Parent root() {
        return root;
    }

    @FXML
    private void initialize() {
        blockUntunneled.selectedProperty().bindBidirectional(vm.blockUntunneledProperty());
        allowLan.selectedProperty().bindBidirectional(vm.allowLanProperty());
        onWifi.selectedProperty().bindBidirectional(vm.onWifiProperty());
        onWired.selectedProperty().bindBidirectional(vm.onWiredProperty());
        trusted.textProperty().bindBidirectional(vm.trustedProperty());
        blockUntunneled.disableProperty().bind(vm.blockDisabled());
        allowLan.disableProperty().bind(vm.allowLanDisabled());
        onWifi.disableProperty().bind(vm.onDemandDisabled());
        onWired.disableProperty().bind(vm.onDemandDisabled());
        trusted.disableProperty().bind(vm.trustedDisabled());
        blockNote.textProperty().bind(vm.blockNote());
        showOnlyWithText(blockNote);
        onDemandNote.textProperty().bind(vm.onDemandNote());
        showOnlyWithText(onDemandNote);
        apply.disableProperty().bind(vm.adminProperty().not().or(vm.loadedProperty().not()));
        apply.visibleProperty().bind(vm.adminProperty());
        apply.managedProperty().bind(apply.visibleProperty());
        status.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> vm.errorProperty().get() != null ? vm.errorProperty().get() : vm.statusProperty().get(),
                vm.errorProperty(), vm.statusProperty()));
        showOnlyWithText(status);
    }

    private static void showOnlyWithText(Label l) {
        l.visibleProperty().bind(l.textProperty().isNotEmpty());
        l.managedProperty().bind(l.visibleProperty());
    }

    @FXML
    private void apply() {
        vm.apply();
    }
}
