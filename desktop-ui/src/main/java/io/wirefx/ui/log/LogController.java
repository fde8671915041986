package io.wirefx.ui.log;

import io.wirefx.ipc.LogEntry;
import io.wirefx.ui.UiContext;
import io.wirefx.ui.Views;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ResourceBundle;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.skin.VirtualFlow;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;

/** The service log: follows new lines (unless unticked), copy of the selection or all, save to a file. */
public final class LogController {
    private final LogViewModel vm;
    private final UiContext ctx;
    private final ResourceBundle bundle;
    private final Parent root;
    @FXML
    private ListView<LogEntry> lines;
    @FXML
    private CheckBox follow;
    @FXML
    private Label status;
    @FXML
    private Button copy;
    @FXML
    private Button copyAll;
    @FXML
    private Button save;

    public LogController(LogViewModel vm, UiContext ctx) {
        this.vm = vm;
        this.ctx = ctx;
        this.bundle = ctx.bundle();
        this.root = Views.load(this, "Log.fxml", bundle);
    }

    @FXML
    private void initialize() {
        lines.setId("log-lines");
        lines.setItems(vm.lines());
        lines.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        lines.setCellFactory(lv -> new ListCell<>() {
            @Override
            protected void updateItem(LogEntry e, boolean empty) {
                super.updateItem(e, empty);
                getStyleClass().removeIf(c -> c.startsWith("log-level-"));
                if (empty || e == null) {
                    setText(null);
                    return;
                }
                setText(vm.format(e));
                getStyleClass().add("log-level-" + e.level().name().toLowerCase(Locale.ROOT));
            }
        });
        lines.setOnKeyPressed(e -> {
            if (new KeyCodeCombination(KeyCode.C, KeyCombination.SHORTCUT_DOWN).match(e)) {
                copySelected();
                e.consume();
            }
        });
        follow.setId("log-follow");
        follow.selectedProperty().bindBidirectional(vm.followProperty());
        vm.lines().addListener((ListChangeListener<LogEntry>) c -> scrollToNewest());
        follow.selectedProperty().addListener((obs, o, n) -> scrollToNewest());
        copy.setId("log-copy");
        copy.disableProperty().bind(lines.getSelectionModel().selectedItemProperty().isNull());
        copyAll.setId("log-copy-all");
        save.setId("log-save");
        status.setId("log-status");
    }

    /**
     * Scrolls the newest line wholly into view, once per batch of new lines, after the list saw them.
     */
    private void scrollToNewest() {
        if (!vm.followProperty().get() || scrollPending) {
            return;
        }
        scrollPending = true;
        ctx.ui().execute(() -> {
            scrollPending = false;
            if (vm.followProperty().get() && !vm.lines().isEmpty()) {
                int newest = vm.lines().size() - 1;
                // ListView.scrollTo puts the line at the top of the view, and with estimated cell heights that left
                // the newest line just below the visible area; the flow's end position is the list's end.
                if (lines.lookup(".virtual-flow") instanceof VirtualFlow<?> flow) {
                    lines.layout();
                    flow.setPosition(1.0);
                } else {
                    lines.scrollTo(newest);
                }
            }
        });
    }

    private boolean scrollPending;

    @FXML
    private void copySelected() {
        List<LogEntry> selected = List.copyOf(lines.getSelectionModel().getSelectedItems());
        if (!selected.isEmpty()) {
            put(vm.asText(selected));
        }
    }

    @FXML
    private void copyAll() {
        put(vm.asText(vm.lines()));
    }

    private static void put(String text) {
        ClipboardContent content = new ClipboardContent();
        content.putString(text);
        Clipboard.getSystemClipboard().setContent(content);
    }

    @FXML
    private void save() {
        Optional<Path> target = ctx.fileDialogs().chooseLogFile(root.getScene().getWindow(),
                "wirefx-" + LocalDate.now(ctx.zone()) + ".log");
        if (target.isEmpty()) {
            return;
        }
        List<LogEntry> snapshot = List.copyOf(vm.lines());
        String text = vm.asText(snapshot);
        Path file = target.get();
        ctx.io().execute(() -> {
            String message;
            try {
                Files.writeString(file, text, StandardCharsets.UTF_8);
                message = String.format(bundle.getString("log.saved"), snapshot.size(), file);
            } catch (IOException e) {
                message = e.getMessage();
            }
            String m = message;
            ctx.ui().execute(() -> status.setText(m));
        });
    }

    public Parent root() {
        return root;
    }
}
