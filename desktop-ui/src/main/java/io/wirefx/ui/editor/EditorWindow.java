package io.wirefx.ui.editor;

import io.wirefx.ui.UiContext;
import io.wirefx.ui.Views;
import io.wirefx.ui.theme.Theme;
import io.wirefx.ipc.TunnelState;
import io.wirefx.ui.tunnels.TunnelItem;
import io.wirefx.ui.tunnels.TunnelsViewModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ResourceBundle;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * The editor window for one tunnel. Closing it (Cancel, Escape, the window's close button, or quitting the app)
 * with unsaved changes asks Save / Don't save / Cancel; nothing is dropped silently.
 */
public final class EditorWindow {
    private static final List<EditorWindow> OPEN = new ArrayList<>();

    private final EditorViewModel vm;
    private final UiContext ctx;
    private final ResourceBundle bundle;
    private final TunnelsViewModel tunnels;
    private final Stage stage = new Stage();

    @FXML
    private Label nameLabel;
    @FXML
    private TextField nameField;
    @FXML
    private Label nameProblem;
    @FXML
    private TextField publicKey;
    @FXML
    private Button copyKey;
    @FXML
    private HighlightingTextArea code;
    @FXML
    private Label problem;
    @FXML
    private Label saveError;
    @FXML
    private Button saveButton;
    @FXML
    private Button cancelButton;

    private EditorWindow(EditorViewModel vm, UiContext ctx, Window owner, TunnelsViewModel tunnels) {
        this.vm = vm;
        this.ctx = ctx;
        this.bundle = ctx.bundle();
        this.tunnels = tunnels;
        Parent root = Views.load(this, "Editor.fxml", bundle);
        Scene scene = new Scene(root);
        Theme.apply(scene);
        stage.setScene(scene);
        if (owner != null) {
            stage.initOwner(owner);
        }
        stage.titleProperty().bind(Bindings.createStringBinding(() -> vm.savedNameProperty().get() == null
                        ? bundle.getString("editor.titleNew")
                        : String.format(bundle.getString("editor.titleEdit"), vm.savedNameProperty().get()),
                vm.savedNameProperty()));
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.S, KeyCombination.SHORTCUT_DOWN), this::save);
        stage.setOnCloseRequest(e -> {
            e.consume();
            requestClose();
        });
        stage.setOnHidden(e -> OPEN.remove(this));
    }

    /** Opens an editor for a new tunnel with a fresh key. */
    public static EditorWindow openNew(UiContext ctx, Window owner, TunnelsViewModel tunnels, String suggestedName) {
        EditorViewModel vm = EditorViewModel.forNew(ctx.service(), ctx.ui(), ctx.bundle(), ctx.random(),
                suggestedName);
        return open(new EditorWindow(vm, ctx, owner, tunnels));
    }

    /** Opens an editor on a stored tunnel's text (one window per tunnel: an open one is brought to front). */
    public static EditorWindow openExisting(UiContext ctx, Window owner, TunnelsViewModel tunnels, String name,
                                            String text) {
        for (EditorWindow w : OPEN) {
            if (name.equals(w.vm.savedNameProperty().get())) {
                w.stage.toFront();
                w.stage.requestFocus();
                return w;
            }
        }
        EditorViewModel vm = EditorViewModel.forExisting(ctx.service(), ctx.ui(), ctx.bundle(), name, text);
        return open(new EditorWindow(vm, ctx, owner, tunnels));
    }

    private static EditorWindow open(EditorWindow w) {
        OPEN.add(w);
        w.stage.show();
        w.code.textArea().requestFocus();
        return w;
    }

    /** The editors now open (the app asks each before quitting). */
    public static List<EditorWindow> openWindows() {
        return List.copyOf(OPEN);
    }

    @FXML
    private void initialize() {
        nameField.setId("editor-name");
        nameLabel.setLabelFor(nameField);
        nameField.textProperty().bindBidirectional(vm.nameProperty());
        nameProblem.setId("editor-name-problem");
        nameProblem.textProperty().bind(vm.nameProblemProperty());
        nameProblem.visibleProperty().bind(vm.nameProblemProperty().isNotNull());
        nameProblem.managedProperty().bind(nameProblem.visibleProperty());
        publicKey.setId("editor-public-key");
        publicKey.textProperty().bind(vm.publicKeyProperty());
        copyKey.setOnAction(e -> copyKey());

        code.setId("editor-code");
        code.textArea().setId("editor-text");
        code.textArea().setAccessibleText(bundle.getString("editor.text.a11y"));
        code.textArea().textProperty().bindBidirectional(vm.textProperty());
        code.errorLineProperty().bind(Bindings.createIntegerBinding(
                () -> vm.problemProperty().get() == null ? 0 : vm.problemProperty().get().line(),
                vm.problemProperty()));
        problem.setId("editor-problem");
        problem.textProperty().bind(Bindings.createStringBinding(() -> vm.problemProperty().get() == null
                ? bundle.getString("editor.valid") : vm.problemProperty().get().message(), vm.problemProperty()));
        vm.problemProperty().addListener((obs, o, n) -> styleProblem());
        styleProblem();
        saveError.setId("editor-save-error");
        saveError.textProperty().bind(vm.saveErrorProperty());
        saveButton.setId("editor-save");
        saveButton.textProperty().bind(saveText("editor.save"));
        // The tunnel's live state: found by its stored name in the list (re-evaluated on renames and events).
        vm.tunnelStateProperty().bind(Bindings.createObjectBinding(() -> {
            TunnelItem item = vm.savedNameProperty().get() == null ? null
                    : tunnels.find(vm.savedNameProperty().get());
            return item == null ? TunnelState.STOPPED : item.state();
        }, vm.savedNameProperty(), tunnels.tunnels()));
        saveButton.disableProperty().bind(vm.canSaveBinding().not());
        cancelButton.setId("editor-cancel");
    }

    /** "Save", or "Save and restart the tunnel" while it is running. */
    private javafx.beans.binding.StringBinding saveText(String plainKey) {
        return Bindings.createStringBinding(() -> bundle.getString(vm.restartOnSaveBinding().get()
                ? "editor.saveRestart" : plainKey), vm.restartOnSaveBinding());
    }

    private void styleProblem() {
        problem.getStyleClass().removeAll("editor-problem", "editor-ok");
        problem.getStyleClass().add(vm.problemProperty().get() == null ? "editor-ok" : "editor-problem");
    }

    @FXML
    private void copyKey() {
        ClipboardContent content = new ClipboardContent();
        content.putString(vm.publicKeyProperty().get());
        Clipboard.getSystemClipboard().setContent(content);
    }

    @FXML
    private void save() {
        saveThen(() -> stage.hide());
    }

    private void saveThen(Runnable after) {
        if (!vm.canSaveBinding().get()) {
            return;
        }
        vm.save().thenAccept(ok -> {
            if (ok) {
                tunnels.selectByName(vm.savedNameProperty().get());
                after.run();
            }
        });
    }

    @FXML
    private void cancel() {
        requestClose();
    }

    /**
     * Closes the window, asking first if there are unsaved changes.
     *
     * @return false if the user chose to keep the window (Cancel), or the save is still in progress
     */
    public boolean requestClose() {
        if (!vm.isDirty()) {
            stage.hide();
            return true;
        }
        stage.toFront();
        ButtonType save = new ButtonType(bundle.getString("editor.unsaved.save"), ButtonBar.ButtonData.YES);
        ButtonType discard = new ButtonType(bundle.getString("editor.unsaved.discard"), ButtonBar.ButtonData.NO);
        ButtonType keep = new ButtonType(bundle.getString("editor.unsaved.cancel"),
                ButtonBar.ButtonData.CANCEL_CLOSE);
        Alert alert = new Alert(Alert.AlertType.WARNING, bundle.getString("editor.unsaved.content"), save, discard,
                keep);
        alert.initOwner(stage);
        alert.setTitle(bundle.getString("editor.unsaved.title"));
        String shown = vm.nameProperty().get() == null || vm.nameProperty().get().isEmpty() ? "?"
                : vm.nameProperty().get();
        alert.setHeaderText(String.format(bundle.getString("editor.unsaved.header"), shown));
        alert.getDialogPane().lookupButton(save).disableProperty().bind(vm.canSaveBinding().not());
        ((Button) alert.getDialogPane().lookupButton(save)).textProperty().bind(saveText("editor.unsaved.save"));
        alert.getDialogPane().lookupButton(save).setId("unsaved-save");
        alert.getDialogPane().lookupButton(discard).setId("unsaved-discard");
        alert.getDialogPane().lookupButton(keep).setId("unsaved-cancel");
        Optional<ButtonType> answer = alert.showAndWait();
        if (answer.isEmpty() || answer.get() == keep) {
            return false;
        }
        if (answer.get() == discard) {
            stage.hide();
            return true;
        }
        saveThen(() -> stage.hide());
        return false;
    }

    public EditorViewModel viewModel() {
        return vm;
    }

    public Stage stage() {
        return stage;
    }
}
