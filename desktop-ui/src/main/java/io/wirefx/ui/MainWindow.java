package io.wirefx.ui;

import io.wirefx.ui.connection.ConnectionBannerController;
import io.wirefx.ui.connection.ConnectionViewModel;
import io.wirefx.ui.importing.ImportResultRow;
import io.wirefx.ui.importing.ImportResultsController;
import io.wirefx.ui.importing.ImportViewModel;
import io.wirefx.ui.log.LogController;
import io.wirefx.ui.log.LogViewModel;
import io.wirefx.ui.theme.Theme;
import io.wirefx.ui.tunnels.TunnelsController;
import io.wirefx.ui.tunnels.TunnelsViewModel;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.input.DragEvent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * The main window's content: connection banner, import results, and the Tunnels and Log tabs. Files dropped
 * anywhere on it are imported. Independent of {@link javafx.application.Application}, so tests build it directly.
 */
public final class MainWindow {
    private final UiContext ctx;
    private final ConnectionViewModel connectionVm;
    private final TunnelsViewModel tunnelsVm;
    private final ImportViewModel importVm;
    private final LogViewModel logVm;
    private final TunnelsController tunnels;
    private final LogController log;
    private final Scene scene;

    @FXML
    private BorderPane root;
    @FXML
    private VBox top;
    @FXML
    private TabPane tabs;
    @FXML
    private Tab tunnelsTab;
    @FXML
    private Tab logTab;

    public MainWindow(UiContext ctx) {
        this.ctx = ctx;
        connectionVm = new ConnectionViewModel(ctx.service(), ctx.ui(), ctx.bundle());
        tunnelsVm = new TunnelsViewModel(ctx.service(), ctx.ui(), ctx.clock(), ctx.formats(), ctx.bundle());
        importVm = new ImportViewModel(ctx.service(), ctx.ui(), ctx.io(), ctx.bundle());
        logVm = new LogViewModel(ctx.service(), ctx.ui(), ctx.zone());
        tunnels = new TunnelsController(tunnelsVm, ctx, this::chooseAndImport);
        log = new LogController(logVm, ctx);
        Parent parent = Views.load(this, "Main.fxml", ctx.bundle());
        scene = new Scene(parent);
        Theme.apply(scene);
        installDragAndDrop();
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.I, KeyCombination.SHORTCUT_DOWN),
                this::chooseAndImport);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.N, KeyCombination.SHORTCUT_DOWN),
                tunnels::addEmpty);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.E, KeyCombination.SHORTCUT_DOWN),
                tunnels::editSelected);
    }

    @FXML
    private void initialize() {
        ConnectionBannerController banner = new ConnectionBannerController(connectionVm, ctx.bundle());
        ImportResultsController results = new ImportResultsController(importVm, ctx.bundle());
        top.getChildren().setAll(banner.root(), results.root());
        tunnelsTab.setContent(tunnels.root());
        logTab.setContent(log.root());
        tunnelsTab.setId("tunnels-tab");
        logTab.setId("log-tab");
    }

    private void installDragAndDrop() {
        scene.setOnDragOver(e -> {
            if (acceptsDrop(e)) {
                e.acceptTransferModes(TransferMode.COPY);
                if (!root.getStyleClass().contains("drop-target")) {
                    root.getStyleClass().add("drop-target");
                }
            }
            e.consume();
        });
        scene.setOnDragExited(e -> root.getStyleClass().remove("drop-target"));
        scene.setOnDragDropped(e -> {
            root.getStyleClass().remove("drop-target");
            boolean ok = false;
            if (acceptsDrop(e)) {
                importFiles(e.getDragboard().getFiles().stream().map(File::toPath).toList());
                ok = true;
            }
            e.setDropCompleted(ok);
            e.consume();
        });
    }

    private boolean acceptsDrop(DragEvent e) {
        return e.getDragboard().hasFiles() && tunnelsVm.adminProperty().get()
                && e.getDragboard().getFiles().stream().anyMatch(f -> ImportViewModel.isImportable(f.toPath()));
    }

    /** Opens the file chooser and imports what was chosen. */
    public void chooseAndImport() {
        if (!tunnelsVm.adminProperty().get()) {
            return;
        }
        List<Path> files = ctx.fileDialogs().chooseImportFiles(scene.getWindow());
        if (!files.isEmpty()) {
            importFiles(files);
        }
    }

    /** Imports files (chooser, drop, tray) and selects the first tunnel imported. */
    public CompletableFuture<List<ImportResultRow>> importFiles(List<Path> files) {
        tabs.getSelectionModel().select(tunnelsTab);
        return importVm.importFiles(files).thenApply(rows -> {
            rows.stream().filter(ImportResultRow::ok).findFirst()
                    .ifPresent(r -> tunnelsVm.selectByName(r.tunnel()));
            return rows;
        });
    }

    /** Shows a lasting notice at the top (e.g. that there is no system tray). */
    public void showNotice(String text) {
        Label label = new Label(text);
        label.setWrapText(true);
        label.setMaxWidth(Double.MAX_VALUE);
        Button close = new Button(ctx.bundle().getString("main.dismiss"));
        HBox notice = new HBox(8, label, close);
        notice.setId("notice");
        HBox.setHgrow(label, Priority.ALWAYS);
        notice.getStyleClass().addAll("banner", "severity-info");
        close.setOnAction(e -> top.getChildren().remove(notice));
        top.getChildren().add(notice);
    }

    public Scene scene() {
        return scene;
    }

    public TunnelsViewModel tunnelsViewModel() {
        return tunnelsVm;
    }

    public ConnectionViewModel connectionViewModel() {
        return connectionVm;
    }

    public ImportViewModel importViewModel() {
        return importVm;
    }

    public LogViewModel logViewModel() {
        return logVm;
    }

    public TunnelsController tunnelsController() {
        return tunnels;
    }

    public void dispose() {
        tunnels.dispose();
    }
}
