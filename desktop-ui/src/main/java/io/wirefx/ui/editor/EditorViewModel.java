package io.wirefx.ui.editor;

import io.wirefx.core.config.BadConfigException;
import io.wirefx.core.config.Config;
import io.wirefx.core.crypto.Key;
import io.wirefx.core.crypto.KeyPair;
import io.wirefx.ipc.ErrorCode;
import io.wirefx.ipc.TunnelState;
import io.wirefx.ui.service.ServiceClient;
import io.wirefx.ui.service.ServiceException;
import io.wirefx.ui.tunnels.TunnelNames;
import java.util.Objects;
import java.util.Random;
import java.util.ResourceBundle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableValue;
import javafx.beans.property.StringProperty;

/**
 * Creating or editing one tunnel as wg-quick text: live validation with the core parser (problem at its line),
 * the public key derived live from the PrivateKey line, name validation, and saving through the service
 * (create, or update then rename). Save is refused while the text or the name is invalid. UI thread only.
 */
public final class EditorViewModel {
    private static final Pattern PRIVATE_KEY_LINE =
            Pattern.compile("(?im)^[ \\t]*PrivateKey[ \\t]*=[ \\t]*([^#\\r\\n]*?)[ \\t]*(?:#.*)?$");

    private final ServiceClient service;
    private final Executor ui;
    private final ResourceBundle bundle;
    private final String originalName;
    private final StringProperty name = new SimpleStringProperty(this, "name", "");
    private final StringProperty text = new SimpleStringProperty(this, "text", "");
    private final ReadOnlyStringWrapper savedName = new ReadOnlyStringWrapper(this, "savedName");
    private final ReadOnlyStringWrapper savedText = new ReadOnlyStringWrapper(this, "savedText");
    private final ReadOnlyObjectWrapper<ConfigProblem> problem = new ReadOnlyObjectWrapper<>(this, "problem");
    private final ReadOnlyStringWrapper nameProblem = new ReadOnlyStringWrapper(this, "nameProblem");
    private final ReadOnlyStringWrapper publicKey = new ReadOnlyStringWrapper(this, "publicKey", "");
    private final ReadOnlyStringWrapper saveError = new ReadOnlyStringWrapper(this, "saveError");
    private final ReadOnlyBooleanWrapper saving = new ReadOnlyBooleanWrapper(this, "saving");
    private final ObjectProperty<TunnelState> tunnelState =
            new SimpleObjectProperty<>(this, "tunnelState", TunnelState.STOPPED);
    private final BooleanBinding dirty;
    private final BooleanBinding canSave;
    private final BooleanBinding restartOnSave;

    private EditorViewModel(ServiceClient service, Executor ui, ResourceBundle bundle, String originalName,
                            String initialName, String initialText) {
        this.service = Objects.requireNonNull(service, "service");
        this.ui = Objects.requireNonNull(ui, "ui");
        this.bundle = Objects.requireNonNull(bundle, "bundle");
        this.originalName = originalName;
        savedName.set(originalName);
        savedText.set(originalName == null ? null : initialText);
        name.set(initialName);
        text.set(initialText);
        name.addListener((obs, o, n) -> validateName());
        text.addListener((obs, o, n) -> validateText());
        validateName();
        validateText();
        dirty = Bindings.createBooleanBinding(
                () -> !Objects.equals(name.get(), savedName.get()) || !Objects.equals(text.get(), savedText.get()),
                name, text, savedName, savedText);
        canSave = Bindings.createBooleanBinding(
                () -> problem.get() == null && nameProblem.get() == null && !saving.get() && dirty.get(),
                problem, nameProblem, saving, dirty);
        restartOnSave = Bindings.createBooleanBinding(() -> savedName.get() != null
                && (tunnelState.get() == TunnelState.RUNNING || tunnelState.get() == TunnelState.STARTING),
                savedName, tunnelState);
    }

    /**
     * A new tunnel: a fresh private key (from {@code rng}, a SecureRandom in the app) and an empty peer list.
     *
     * @param suggestedName a free name to start with
     */
    public static EditorViewModel forNew(ServiceClient service, Executor ui, ResourceBundle bundle, Random rng,
                                         String suggestedName) {
        KeyPair pair = KeyPair.generate(rng);
        String text = "[Interface]\nPrivateKey = " + pair.privateKey().toBase64() + "\nAddress = \n";
        pair.privateKey().close();
        EditorViewModel vm = new EditorViewModel(service, ui, bundle, null, suggestedName, text);
        return vm;
    }

    /** Editing the stored tunnel {@code name} whose wg-quick text is {@code text} (as the service stores it). */
    public static EditorViewModel forExisting(ServiceClient service, Executor ui, ResourceBundle bundle, String name,
                                              String text) {
        return new EditorViewModel(service, ui, bundle, name, name, text);
    }

    private void validateText() {
        String t = text.get() == null ? "" : text.get();
        publicKey.set(derivePublicKey(t));
        try {
            Config.parse(t);
            problem.set(null);
        } catch (BadConfigException e) {
            problem.set(ConfigProblem.of(e, bundle));
        }
    }

    private void validateName() {
        nameProblem.set(TunnelNames.problem(bundle, name.get()));
    }

    /** The public key for the text's PrivateKey line, or empty if it has none or it is not a valid key. */
    static String derivePublicKey(String text) {
        Matcher m = PRIVATE_KEY_LINE.matcher(text);
        if (!m.find()) {
            return "";
        }
        try (Key priv = Key.fromBase64(m.group(1).strip())) {
            KeyPair pair = KeyPair.fromPrivate(priv);
            String pub = pair.publicKey().toBase64();
            pair.privateKey().close();
            return pub;
        } catch (IllegalArgumentException e) { // KeyFormatException included
            return "";
        }
    }

    /**
     * Saves: creates the tunnel, or updates it and renames it if the name changed. Completes (on the UI thread)
     * with true on success; on failure {@link #saveErrorProperty()} or {@link #problemProperty()} tells why.
     * Refused (false at once) while {@link #canSaveBinding()} is false.
     */
    public CompletableFuture<Boolean> save() {
        if (!canSave.get()) {
            return CompletableFuture.completedFuture(false);
        }
        String n = name.get();
        String t = text.get();
        saving.set(true);
        saveError.set(null);
        CompletableFuture<Void> request;
        if (originalName == null || savedName.get() == null) {
            request = service.create(n, t);
        } else if (restartOnSave.get()) {
            // The service changes only stopped tunnels: stop, store, start again under the (new) name.
            String current = savedName.get();
            boolean textChanged = !t.equals(savedText.get());
            request = service.stop(current).thenCompose(v -> whenStopped())
                    .thenCompose(v -> store(current, n, t, textChanged))
                    .thenCompose(v -> service.start(n));
        } else {
            String current = savedName.get();
            request = store(current, n, t, !t.equals(savedText.get()));
        }
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        request.whenCompleteAsync((ok, failure) -> {
            saving.set(false);
            if (failure == null) {
                savedName.set(n);
                savedText.set(t);
                result.complete(true);
                return;
            }
            Throwable cause = ServiceException.unwrap(failure);
            if (cause instanceof ServiceException se && se.code() == ErrorCode.INVALID_CONFIG
                    && se.configError() != null) {
                problem.set(ConfigProblem.of(se.configError(), bundle));
            }
            saveError.set(cause instanceof ServiceException se && se.isConnectionFailure()
                    ? bundle.getString("editor.saveNotConnected") : cause.getMessage());
            result.complete(false);
        }, ui);
        return result;
    }

    /** Updates the stored text if it changed, then renames if the name changed. */
    private CompletableFuture<Void> store(String current, String n, String t, boolean textChanged) {
        CompletableFuture<Void> update = textChanged ? service.update(current, t)
                : CompletableFuture.completedFuture(null);
        return current.equals(n) ? update : update.thenCompose(v -> {
            ui.execute(() -> savedText.set(t)); // the update landed even if the rename fails
            return service.rename(current, n);
        });
    }

    /** Completes once {@link #tunnelStateProperty()} reads STOPPED or FAILED (it follows the service's events). */
    private CompletableFuture<Void> whenStopped() {
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        ui.execute(() -> {
            ChangeListener<TunnelState> listener = new ChangeListener<>() {
                @Override
                public void changed(ObservableValue<? extends TunnelState> obs, TunnelState o, TunnelState n) {
                    if (n == TunnelState.STOPPED || n == TunnelState.FAILED) {
                        tunnelState.removeListener(this);
                        stopped.complete(null);
                    }
                }
            };
            TunnelState now = tunnelState.get();
            if (now == TunnelState.STOPPED || now == TunnelState.FAILED) {
                stopped.complete(null);
            } else {
                tunnelState.addListener(listener);
            }
        });
        return stopped;
    }

    /**
     * The stored tunnel's state, for {@link #restartOnSaveBinding()}; the window binds it to the tunnel list's item.
     */
    public ObjectProperty<TunnelState> tunnelStateProperty() {
        return tunnelState;
    }

    /** The tunnel is running (or starting): saving stops it, stores the changes and starts it again. */
    public BooleanBinding restartOnSaveBinding() {
        return restartOnSave;
    }

    /** True for a tunnel not yet stored. */
    public boolean isNew() {
        return savedName.get() == null;
    }

    /** The stored name (null until a new tunnel is saved). */
    public ReadOnlyStringProperty savedNameProperty() {
        return savedName.getReadOnlyProperty();
    }

    public StringProperty nameProperty() {
        return name;
    }

    public StringProperty textProperty() {
        return text;
    }

    /** The text's first problem (from the local parser, or the service's on save), or null when valid. */
    public ReadOnlyObjectProperty<ConfigProblem> problemProperty() {
        return problem.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty nameProblemProperty() {
        return nameProblem.getReadOnlyProperty();
    }

    /** Public key (Base64) of the text's PrivateKey, live; empty when there is no valid one. */
    public ReadOnlyStringProperty publicKeyProperty() {
        return publicKey.getReadOnlyProperty();
    }

    /** Why the last save failed, or null. */
    public ReadOnlyStringProperty saveErrorProperty() {
        return saveError.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty savingProperty() {
        return saving.getReadOnlyProperty();
    }

    /** Unsaved changes exist (a new tunnel is always dirty until saved). */
    public BooleanBinding dirtyBinding() {
        return dirty;
    }

    public boolean isDirty() {
        return dirty.get();
    }

    public BooleanBinding canSaveBinding() {
        return canSave;
    }
}
