package io.wirefx.ui.tunnels;

import io.wirefx.ipc.TunnelState;
import io.wirefx.ui.UiContext;
import io.wirefx.ui.Views;
import io.wirefx.ui.editor.EditorWindow;
import io.wirefx.ui.service.ServiceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Optional;
import java.util.ResourceBundle;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.value.ObservableStringValue;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputDialog;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Circle;
import javafx.util.Duration;

/** The tunnel list (with state badges) and the selected tunnel's detail pane. */
public final class TunnelsController {
    private final TunnelsViewModel vm;
    private final UiContext ctx;
    private final ResourceBundle bundle;
    private final Runnable importAction;
    private final Parent root;
    private final Timeline ticker;

    @FXML
    private SplitPane split;
    @FXML
    private VBox listPane;
    @FXML
    private ListView<TunnelItem> list;
    @FXML
    private MenuButton addMenu;
    @FXML
    private MenuItem importItem;
    @FXML
    private MenuItem newItem;
    @FXML
    private Button deleteButton;
    @FXML
    private Button exportButton;
    @FXML
    private HBox notificationBar;
    @FXML
    private Label notificationText;
    @FXML
    private ScrollPane detailScroll;
    @FXML
    private VBox detailBox;
    @FXML
    private Button editButton;

    private final VBox peersBox = new VBox(14);
    private final Button toggleButton = new Button();

    public TunnelsController(TunnelsViewModel vm, UiContext ctx, Runnable importAction) {
        this.vm = vm;
        this.ctx = ctx;
        this.bundle = ctx.bundle();
        this.importAction = importAction;
        this.root = Views.load(this, "Tunnels.fxml", bundle);
        ticker = new Timeline(new KeyFrame(Duration.seconds(1), e -> vm.detail().tick()));
        ticker.setCycleCount(Timeline.INDEFINITE);
        ticker.play();
    }

    @FXML
    private void initialize() {
        list.setId("tunnel-list");
        list.setItems(vm.tunnels());
        list.setCellFactory(lv -> new TunnelCell());
        list.setPlaceholder(placeholder());
        list.getSelectionModel().selectedItemProperty().addListener((obs, o, n) -> {
            if (n != null && n != vm.selectedProperty().get()) {
                vm.selectedProperty().set(n);
            }
        });
        vm.selectedProperty().addListener((obs, o, n) -> {
            if (list.getSelectionModel().getSelectedItem() != n) {
                list.getSelectionModel().select(n);
            }
        });
        list.getItems().addListener((ListChangeListener<TunnelItem>) c -> {
            TunnelItem sel = vm.selectedProperty().get();
            if (sel != null && list.getSelectionModel().getSelectedItem() != sel) {
                list.getSelectionModel().select(sel);
            }
        });
        list.setOnKeyPressed(e -> {
            TunnelItem item = list.getSelectionModel().getSelectedItem();
            if (item == null) {
                return;
            }
            if (e.getCode() == KeyCode.ENTER) {
                vm.toggle(item);
                e.consume();
            } else if (e.getCode() == KeyCode.DELETE && vm.adminProperty().get()) {
                delete();
                e.consume();
            } else if (e.getCode() == KeyCode.F2 && vm.adminProperty().get()) {
                rename(item);
                e.consume();
            }
        });

        // Laid out for the last known role, so the window keeps its shape while the service is away.
        BooleanBinding adminLayout = Bindings.createBooleanBinding(() -> vm.adminLayoutProperty().get(),
                vm.adminLayoutProperty());
        BooleanBinding noSelection = vm.selectedProperty().isNull().or(vm.connectedProperty().not());
        for (Node n : new Node[] {addMenu, deleteButton, exportButton, editButton}) {
            n.visibleProperty().bind(adminLayout);
            n.managedProperty().bind(adminLayout);
        }
        vm.connectedProperty().addListener((obs, o, n) -> list.refresh());
        addMenu.setId("add-menu");
        importItem.setId("import-item");
        newItem.setId("new-item");
        deleteButton.setId("delete-button");
        exportButton.setId("export-button");
        editButton.setId("edit-button");
        deleteButton.disableProperty().bind(noSelection);
        editButton.disableProperty().bind(noSelection);
        exportButton.disableProperty().bind(Bindings.isEmpty(vm.tunnels()).or(vm.connectedProperty().not()));
        addMenu.disableProperty().bind(vm.connectedProperty().not());

        notificationBar.setId("notification");
        notificationBar.visibleProperty().bind(vm.notificationProperty().isNotNull());
        notificationBar.managedProperty().bind(notificationBar.visibleProperty());
        notificationText.textProperty().bind(vm.notificationProperty());
        vm.notificationErrorProperty().addListener((obs, o, n) -> {
            notificationBar.getStyleClass().remove("notification-info");
            if (!n) {
                notificationBar.getStyleClass().add("notification-info");
            }
        });

        buildDetail();
        split.setId("tunnels-split");
        // The list keeps its width when the window grows or shrinks; the detail pane takes the rest.
        SplitPane.setResizableWithParent(listPane, false);
        split.widthProperty().addListener(new javafx.beans.value.ChangeListener<>() {
            @Override
            public void changed(javafx.beans.value.ObservableValue<? extends Number> obs, Number o, Number n) {
                if (n.doubleValue() > 0) {
                    split.widthProperty().removeListener(this);
                    split.setDividerPositions(listPane.getPrefWidth() / n.doubleValue());
                }
            }
        });
    }

    private Node placeholder() {
        Label hint = new Label(bundle.getString("main.noTunnels"));
        hint.getStyleClass().add("empty-hint");
        hint.setWrapText(true);
        return hint;
    }

    // ---- detail pane -----------------------------------------------------------------------------------------------

    private void buildDetail() {
        TunnelDetailViewModel d = vm.detail();
        Label none = new Label(bundle.getString("detail.none"));
        none.getStyleClass().add("empty-hint");
        none.visibleProperty().bind(d.tunnelProperty().isNull());
        none.managedProperty().bind(none.visibleProperty());

        GridPane iface = section();
        iface.setId("interface-section");
        Label heading = new Label();
        heading.setId("detail-heading");
        heading.getStyleClass().add("detail-heading");
        heading.textProperty().bind(Bindings.createStringBinding(
                () -> String.format(bundle.getString("detail.interface"), d.nameProperty().get()), d.nameProperty()));
        iface.add(heading, 0, 0, 2, 1);

        Circle dot = new Circle(5);
        dot.getStyleClass().add("state-dot");
        Label stateText = new Label();
        stateText.setId("detail-state");
        stateText.textProperty().bind(d.stateTextProperty());
        d.stateStyleProperty().addListener((obs, o, n) -> {
            dot.getStyleClass().removeIf(c -> c.startsWith("badge-"));
            if (n != null && !n.isEmpty()) {
                dot.getStyleClass().add(n);
            }
        });
        HBox status = new HBox(6, dot, stateText);
        status.setAlignment(Pos.CENTER_LEFT);
        int r = 1;
        addRow(iface, r++, "detail.status", status, null);

        TextField key = readOnlyField(d.publicKeyProperty(), "detail-public-key");
        key.setAccessibleText(bundle.getString("detail.publicKey"));
        Button copy = new Button(bundle.getString("detail.copy"));
        copy.setId("copy-public-key");
        copy.setAccessibleText(bundle.getString("detail.copyKey.a11y"));
        copy.setOnAction(e -> {
            ClipboardContent content = new ClipboardContent();
            content.putString(d.publicKeyProperty().get());
            Clipboard.getSystemClipboard().setContent(content);
            copy.setText(bundle.getString("detail.copied"));
            Timeline reset = new Timeline(new KeyFrame(Duration.seconds(1.5),
                    ev -> copy.setText(bundle.getString("detail.copy"))));
            reset.play();
        });
        copy.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        HBox keyRow = new HBox(6, key, copy);
        HBox.setHgrow(key, Priority.ALWAYS);
        keyRow.setAlignment(Pos.CENTER_LEFT);
        addRow(iface, r++, "detail.publicKey", keyRow, d.publicKeyProperty());
        addRow(iface, r++, "detail.osInterface", valueLabel(d.interfaceNameProperty(), "detail-interface"),
                d.interfaceNameProperty());
        addRow(iface, r++, "detail.listenPort", valueLabel(d.listenPortProperty(), "detail-listen-port"),
                d.listenPortProperty());
        addRow(iface, r++, "detail.addresses", valueLabel(d.addressesProperty(), "detail-addresses"),
                d.addressesProperty());
        addRow(iface, r++, "detail.dns", valueLabel(d.dnsProperty(), "detail-dns"), d.dnsProperty());
        addRow(iface, r++, "detail.mtu", valueLabel(d.mtuProperty(), "detail-mtu"), d.mtuProperty());

        Label failure = new Label();
        failure.setId("detail-failure");
        failure.getStyleClass().add("failure-reason");
        failure.textProperty().bind(Bindings.createStringBinding(() -> {
            String reason = d.failureReasonProperty().get();
            String err = d.errorProperty().get();
            if (reason != null) {
                return String.format(bundle.getString("detail.failed"), reason);
            }
            return err;
        }, d.failureReasonProperty(), d.errorProperty()));
        failure.visibleProperty().bind(failure.textProperty().isNotEmpty());
        failure.managedProperty().bind(failure.visibleProperty());
        iface.add(failure, 0, r++, 2, 1);

        toggleButton.setId("toggle-button");
        toggleButton.setMnemonicParsing(true);
        toggleButton.textProperty().bind(d.toggleTextProperty());
        toggleButton.disableProperty().bind(d.toggleDisabledProperty().or(vm.connectedProperty().not()));
        toggleButton.setDefaultButton(false);
        toggleButton.setOnAction(e -> {
            TunnelItem item = vm.selectedProperty().get();
            if (item != null) {
                vm.toggle(item);
            }
        });
        iface.add(toggleButton, 1, r);

        iface.visibleProperty().bind(d.tunnelProperty().isNotNull());
        iface.managedProperty().bind(iface.visibleProperty());
        peersBox.setId("peers");
        peersBox.visibleProperty().bind(d.tunnelProperty().isNotNull());
        peersBox.managedProperty().bind(peersBox.visibleProperty());
        d.peers().addListener((ListChangeListener<PeerViewModel>) c -> rebuildPeers());
        javafx.scene.Parent settingsSection = new io.wirefx.ui.settings.TunnelSettingsController(vm.settings(), bundle)
                .root();
        settingsSection.visibleProperty().bind(d.tunnelProperty().isNotNull());
        settingsSection.managedProperty().bind(settingsSection.visibleProperty());
        detailBox.getChildren().setAll(none, iface, peersBox, settingsSection);
    }

    private void rebuildPeers() {
        peersBox.getChildren().clear();
        int index = 0;
        for (PeerViewModel p : vm.detail().peers()) {
            GridPane g = section();
            g.setId("peer-" + index);
            Label heading = new Label(bundle.getString("detail.peer"));
            heading.getStyleClass().add("detail-heading");
            g.add(heading, 0, 0, 2, 1);
            int r = 1;
            TextField key = readOnlyField(new javafx.beans.property.SimpleStringProperty(p.publicKey()),
                    "peer-" + index + "-public-key");
            key.setAccessibleText(bundle.getString("detail.publicKey"));
            addRow(g, r++, "detail.publicKey", key, null);
            if (p.hasPresharedKey()) {
                addRow(g, r++, "detail.presharedKey", plain(bundle.getString("detail.presharedKeyEnabled")), null);
            }
            addRow(g, r++, "detail.allowedIps", plain(p.allowedIps()), null);
            if (!p.endpoint().isEmpty()) {
                addRow(g, r++, "detail.endpoint", plain(p.endpoint()), null);
            }
            String keepalive = p.persistentKeepalive(bundle);
            if (!keepalive.isEmpty()) {
                addRow(g, r++, "detail.keepalive", plain(keepalive), null);
            }
            Label handshake = valueLabel(p.handshakeProperty(), "peer-" + index + "-handshake");
            addRow(g, r++, "detail.handshake", handshake, p.handshakeProperty());
            Label transfer = new Label();
            transfer.setId("peer-" + index + "-transfer");
            transfer.getStyleClass().add("detail-value");
            transfer.textProperty().bind(Bindings.createStringBinding(
                    () -> p.receivedProperty().get().isEmpty() ? ""
                            : String.format(bundle.getString("detail.transferValue"), p.receivedProperty().get(),
                            p.sentProperty().get()), p.receivedProperty(), p.sentProperty()));
            addRow(g, r, "detail.transfer", transfer, transfer.textProperty());
            peersBox.getChildren().add(g);
            index++;
        }
        if (index == 0) {
            Label none = new Label(bundle.getString("detail.noPeers"));
            none.getStyleClass().add("detail-label");
            peersBox.getChildren().add(none);
        }
    }

    private static GridPane section() {
        GridPane g = new GridPane();
        g.getStyleClass().add("detail-section");
        javafx.scene.layout.ColumnConstraints c0 = new javafx.scene.layout.ColumnConstraints();
        c0.setMinWidth(118); // the same label column in every section
        javafx.scene.layout.ColumnConstraints c1 = new javafx.scene.layout.ColumnConstraints();
        c1.setHgrow(Priority.ALWAYS);
        c1.setFillWidth(true);
        g.getColumnConstraints().setAll(c0, c1);
        return g;
    }

    /** Adds "label: value" at {@code row}; both hidden while {@code shownWhenNotEmpty} is empty (if given). */
    private void addRow(GridPane g, int row, String labelKey, Node value, ObservableStringValue shownWhenNotEmpty) {
        Label label = new Label(bundle.getString(labelKey));
        label.getStyleClass().add("detail-label");
        label.setLabelFor(value);
        if (shownWhenNotEmpty != null) {
            BooleanBinding shown = Bindings.createBooleanBinding(
                    () -> shownWhenNotEmpty.get() != null && !shownWhenNotEmpty.get().isEmpty(), shownWhenNotEmpty);
            for (Node n : new Node[] {label, value}) {
                n.visibleProperty().bind(shown);
                n.managedProperty().bind(shown);
            }
        }
        g.add(label, 0, row);
        g.add(value, 1, row);
    }

    private Label valueLabel(ObservableStringValue value, String id) {
        Label l = new Label();
        l.setId(id);
        l.getStyleClass().add("detail-value");
        l.textProperty().bind(value);
        l.setWrapText(true);
        return l;
    }

    private Label plain(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("detail-value");
        l.setWrapText(true);
        return l;
    }

    /** A selectable, read-only, borderless field for keys (so they can be selected and copied). */
    private TextField readOnlyField(ObservableStringValue value, String id) {
        TextField f = new TextField();
        f.setId(id);
        f.setEditable(false);
        f.getStyleClass().addAll("mono", "detail-value");
        f.setStyle("-fx-background-color: transparent; -fx-padding: 0;");
        f.textProperty().bind(value);
        f.setPrefColumnCount(44);
        f.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        return f;
    }

    // ---- actions ---------------------------------------------------------------------------------------------------

    @FXML
    private void importFiles() {
        importAction.run();
    }

    @FXML
    private void newTunnel() {
        EditorWindow.openNew(ctx, root.getScene().getWindow(), vm, suggestName());
    }

    private String suggestName() {
        for (int i = 0; ; i++) {
            String n = "wg" + i;
            if (vm.find(n) == null) {
                return n;
            }
        }
    }

    @FXML
    private void edit() {
        TunnelItem item = vm.selectedProperty().get();
        if (item == null) {
            return;
        }
        ctx.service().getTunnel(item.name()).whenCompleteAsync((config, failure) -> {
            if (failure != null) {
                vm.detail().setError(ServiceException.unwrap(failure).getMessage());
                return;
            }
            EditorWindow.openExisting(ctx, root.getScene().getWindow(), vm, config.name(), config.text());
        }, ctx.ui());
    }

    @FXML
    private void delete() {
        TunnelItem item = vm.selectedProperty().get();
        if (item == null) {
            return;
        }
        ButtonType confirm = new ButtonType(bundle.getString("delete.confirm"), ButtonBar.ButtonData.OK_DONE);
        String content = bundle.getString("delete.content");
        if (item.isActive() || item.state() == TunnelState.STOPPING) {
            content = String.format(bundle.getString("delete.disconnects"), item.name()) + " " + content;
        }
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION, content, confirm, ButtonType.CANCEL);
        alert.initOwner(root.getScene().getWindow());
        alert.setTitle(bundle.getString("delete.title"));
        alert.setHeaderText(String.format(bundle.getString("delete.header"), item.name()));
        ((Button) alert.getDialogPane().lookupButton(ButtonType.CANCEL)).setDefaultButton(true);
        ((Button) alert.getDialogPane().lookupButton(confirm)).setDefaultButton(false);
        alert.getDialogPane().lookupButton(confirm).setId("confirm-delete");
        Optional<ButtonType> answer = alert.showAndWait();
        if (answer.isPresent() && answer.get() == confirm) {
            if (item.state() != TunnelState.STOPPED && item.state() != TunnelState.FAILED) {
                // The service refuses to delete a running tunnel; stop it first, then delete.
                vm.deactivate(item).thenRunAsync(() -> whenStopped(item, () -> vm.delete(item)), ctx.ui());
            } else {
                vm.delete(item);
            }
        }
    }

    private void whenStopped(TunnelItem item, Runnable then) {
        if (item.state() == TunnelState.STOPPED || item.state() == TunnelState.FAILED) {
            then.run();
            return;
        }
        javafx.beans.value.ChangeListener<TunnelState> listener = new javafx.beans.value.ChangeListener<>() {
            @Override
            public void changed(javafx.beans.value.ObservableValue<? extends TunnelState> obs, TunnelState o,
                                TunnelState n) {
                if (n == TunnelState.STOPPED || n == TunnelState.FAILED) {
                    item.stateProperty().removeListener(this);
                    then.run();
                }
            }
        };
        item.stateProperty().addListener(listener);
    }

    private void rename(TunnelItem item) {
        TextInputDialog dialog = new TextInputDialog(item.name());
        dialog.initOwner(root.getScene().getWindow());
        dialog.setTitle(bundle.getString("rename.title"));
        dialog.setHeaderText(String.format(bundle.getString("rename.header"), item.name()));
        TextField field = dialog.getEditor();
        field.setId("rename-name");
        field.setAccessibleText(bundle.getString("editor.name.a11y"));
        // Checked as the user types, like the editor's name field: OK only for a valid, free, new name.
        Label problem = new Label();
        problem.setId("rename-problem");
        problem.getStyleClass().add("editor-problem");
        problem.setWrapText(true);
        problem.textProperty().bind(Bindings.createStringBinding(() -> vm.renameProblem(item, field.getText()),
                field.textProperty()));
        problem.visibleProperty().bind(problem.textProperty().isNotEmpty());
        VBox content = new VBox(6, field, problem);
        dialog.getDialogPane().setContent(content);
        Node ok = dialog.getDialogPane().lookupButton(javafx.scene.control.ButtonType.OK);
        ok.setId("rename-ok");
        ok.disableProperty().bind(Bindings.createBooleanBinding(() -> problem.getText() != null
                || field.getText().strip().equals(item.name()), problem.textProperty(), field.textProperty()));
        dialog.setOnShown(e -> field.requestFocus());
        dialog.showAndWait().map(String::strip)
                .filter(n -> vm.renameProblem(item, n) == null && !n.equals(item.name()))
                .ifPresent(n -> vm.rename(item, n));
    }

    @FXML
    private void exportAll() {
        String suggested = "wirefx-tunnels-" + LocalDate.now(ctx.zone()) + ".zip";
        Optional<Path> target = ctx.fileDialogs().chooseExportFile(root.getScene().getWindow(), suggested);
        if (target.isEmpty()) {
            return;
        }
        Path file = target.get();
        ctx.service().exportZip().thenApplyAsync(zip -> {
            try {
                Files.write(file, zip);
                return countEntries(zip);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, ctx.io()).whenCompleteAsync((count, failure) -> {
            if (failure != null) {
                Throwable t = ServiceException.unwrap(failure);
                vm.showNotification(String.format(bundle.getString("export.failed"),
                        t instanceof java.io.UncheckedIOException u ? u.getCause().getMessage() : t.getMessage()),
                        true);
            } else {
                vm.showNotification(String.format(bundle.getString("export.done"), count, file), false);
            }
        }, ctx.ui());
    }

    private static int countEntries(byte[] zip) throws IOException {
        int n = 0;
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(
                new java.io.ByteArrayInputStream(zip))) {
            while (in.getNextEntry() != null) {
                n++;
            }
        }
        return n;
    }

    @FXML
    private void dismissNotification() {
        vm.clearNotification();
    }

    /** Opens the editor for the selected tunnel (keyboard shortcut). */
    public void editSelected() {
        if (vm.adminProperty().get()) {
            edit();
        }
    }

    /** Opens the editor for a new tunnel (keyboard shortcut). */
    public void addEmpty() {
        if (vm.adminProperty().get() && vm.connectedProperty().get()) {
            newTunnel();
        }
    }

    public ListView<TunnelItem> list() {
        return list;
    }

    public Parent root() {
        return root;
    }

    public void dispose() {
        ticker.stop();
    }

    // ---- list cell ---------------------------------------------------------------------------------------------------

    private final class TunnelCell extends ListCell<TunnelItem> {
        private final Circle dot = new Circle(5);
        private final Label name = new Label();
        private final Label badge = new Label();
        private final HBox box;
        private final javafx.beans.InvalidationListener stateListener = obs -> refresh();
        private TunnelItem bound;

        TunnelCell() {
            dot.getStyleClass().add("state-dot");
            name.getStyleClass().add("tunnel-cell-name");
            badge.getStyleClass().add("badge");
            Region spacer = new Region();
            HBox.setHgrow(spacer, Priority.ALWAYS);
            box = new HBox(8, dot, name, spacer, badge);
            box.setAlignment(Pos.CENTER_LEFT);
            setContextMenu(contextMenu());
        }

        private ContextMenu contextMenu() {
            MenuItem toggle = new MenuItem();
            toggle.setOnAction(e -> vm.toggle(getItem()));
            MenuItem edit = new MenuItem(bundle.getString("detail.edit"));
            edit.setOnAction(e -> edit());
            MenuItem rename = new MenuItem(bundle.getString("rename.action"));
            rename.setOnAction(e -> rename(getItem()));
            MenuItem delete = new MenuItem(bundle.getString("main.delete"));
            delete.setOnAction(e -> delete());
            ContextMenu menu = new ContextMenu(toggle, edit, rename, delete);
            menu.setOnShowing(e -> {
                TunnelItem item = getItem();
                toggle.setText(bundle.getString(item != null && item.isActive() ? "detail.deactivate"
                        : "detail.activate"));
                boolean adminMode = vm.adminProperty().get();
                edit.setVisible(adminMode);
                rename.setVisible(adminMode);
                delete.setVisible(adminMode);
            });
            return menu;
        }

        @Override
        protected void updateItem(TunnelItem item, boolean empty) {
            super.updateItem(item, empty);
            if (bound != null) {
                bound.stateProperty().removeListener(stateListener);
                bound.latestHandshakeProperty().removeListener(stateListener);
                bound = null;
            }
            if (empty || item == null) {
                setGraphic(null);
                setText(null);
                setAccessibleText(null);
                setId(null);
                return;
            }
            bound = item;
            item.stateProperty().addListener(stateListener);
            item.latestHandshakeProperty().addListener(stateListener);
            setId("tunnel-cell-" + item.name());
            setText(null);
            setGraphic(box);
            refresh();
        }

        private void refresh() {
            TunnelItem item = getItem();
            if (item == null) {
                return;
            }
            name.setText(item.name());
            StateBadges.Badge b = StateBadges.of(bundle, item, vm.connectedProperty().get());
            badge.setText(b.text());
            badge.getStyleClass().removeIf(c -> c.startsWith("badge-"));
            badge.getStyleClass().add(b.styleClass());
            dot.getStyleClass().removeIf(c -> c.startsWith("badge-"));
            dot.getStyleClass().add(b.styleClass());
            setAccessibleText(item.name() + ", " + b.longText());
            setTooltip(item.failureReason() == null ? null : new Tooltip(item.failureReason()));
        }
    }
}
