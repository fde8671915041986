package io.wirefx.ui.importing;

import io.wirefx.core.config.Config;
import io.wirefx.core.config.TunnelNames;
import io.wirefx.ipc.ErrorCode;
import io.wirefx.ipc.ImportEntry;
import io.wirefx.ipc.Protocol;
import io.wirefx.ui.editor.ConfigProblem;
import io.wirefx.ui.service.ServiceClient;
import io.wirefx.ui.service.ServiceException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.ResourceBundle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Imports {@code .conf} and {@code .zip} files (from the file chooser, drag and drop or the tray) through the
 * service, one result per file or zip entry. Files are read on the {@code io} executor; results are published on
 * the UI thread. Nothing is parsed for the service's sake: it validates, and reports errors with their line.
 */
public final class ImportViewModel {
    /** A zip is sent Base64-encoded in one frame: 3/4 of the frame limit, less room for the envelope. */
    static final long MAX_ZIP_BYTES = (Protocol.MAX_FRAME_BYTES - 4096) / 4L * 3;

    private final ServiceClient service;
    private final Executor ui;
    private final Executor io;
    private final ResourceBundle bundle;
    private final ObservableList<ImportResultRow> results = FXCollections.observableArrayList();
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");

    public ImportViewModel(ServiceClient service, Executor ui, Executor io, ResourceBundle bundle) {
        this.service = Objects.requireNonNull(service, "service");
        this.ui = Objects.requireNonNull(ui, "ui");
        this.io = Objects.requireNonNull(io, "io");
        this.bundle = Objects.requireNonNull(bundle, "bundle");
    }

    /** True if {@code path} looks importable (by its extension), for drag-over feedback. */
    public static boolean isImportable(Path path) {
        String n = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".conf") || n.endsWith(".zip");
    }

    /**
     * Imports the files in order. Completes on the UI thread with this batch's rows, which also replace
     * {@link #results()}.
     */
    public CompletableFuture<List<ImportResultRow>> importFiles(List<Path> files) {
        List<Path> batch = List.copyOf(files);
        busy.set(true);
        CompletableFuture<List<ImportResultRow>> all = CompletableFuture.completedFuture(new ArrayList<>());
        for (Path file : batch) {
            all = all.thenCompose(rows -> importOne(file).thenApply(r -> {
                rows.addAll(r);
                return rows;
            }));
        }
        CompletableFuture<List<ImportResultRow>> done = new CompletableFuture<>();
        all.whenCompleteAsync((rows, failure) -> {
            busy.set(false);
            List<ImportResultRow> list = failure == null ? List.copyOf(rows)
                    : List.of(new ImportResultRow("", null, false, ServiceException.unwrap(failure).getMessage(), 0));
            results.setAll(list);
            done.complete(list);
        }, ui);
        return done;
    }

    private CompletableFuture<List<ImportResultRow>> importOne(Path file) {
        String fileName = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        String lower = fileName.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".zip")) {
            return CompletableFuture.supplyAsync(() -> read(file, MAX_ZIP_BYTES), io).thenCompose(read -> {
                if (read.error != null) {
                    return CompletableFuture.completedFuture(List.of(fail(fileName, null, read.error)));
                }
                return service.importZip(read.bytes, false)
                        .thenApply(entries -> entries.isEmpty()
                                ? List.of(fail(fileName, null, bundle.getString("import.emptyZip")))
                                : entries.stream().map(this::row).toList())
                        .exceptionally(t -> List.of(failure(fileName, null, t)));
            });
        }
        if (!lower.endsWith(".conf")) {
            return CompletableFuture.completedFuture(List.of(fail(fileName, null, bundle.getString("import.notConf"))));
        }
        String tunnel = TunnelNames.fromFileName(fileName).orElse(null);
        if (tunnel == null) {
            return CompletableFuture.completedFuture(List.of(fail(fileName, null,
                    bundle.getString("import.badFileName"))));
        }
        return CompletableFuture.supplyAsync(() -> read(file, Config.MAX_TEXT_LENGTH), io).thenCompose(read -> {
            if (read.error != null) {
                return CompletableFuture.completedFuture(List.of(fail(fileName, tunnel, read.error)));
            }
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(read.bytes)).toString();
            } catch (CharacterCodingException e) {
                return CompletableFuture.completedFuture(List.of(fail(fileName, tunnel,
                        bundle.getString("import.notUtf8"))));
            }
            return service.importConfig(tunnel, text, false)
                    .thenApply(entries -> entries.stream().map(e -> row(new ImportEntry(fileName,
                            e.tunnel() == null ? tunnel : e.tunnel(), e.error(), e.message(), e.configError())))
                            .toList())
                    .exceptionally(t -> List.of(failure(fileName, tunnel, t)));
        });
    }

    private record Read(byte[] bytes, String error) {
    }

    private Read read(Path file, long limit) {
        try {
            long size = Files.size(file);
            if (size > limit) {
                return new Read(null, bundle.getString("import.tooLarge"));
            }
            return new Read(Files.readAllBytes(file), null);
        } catch (IOException e) {
            return new Read(null, String.format(bundle.getString("import.cannotRead"), e.getMessage()));
        }
    }

    ImportResultRow row(ImportEntry e) {
        if (e.ok()) {
            return new ImportResultRow(e.entry(), e.tunnel(), true,
                    String.format(bundle.getString("import.imported"), e.tunnel()), 0);
        }
        if (e.error() == ErrorCode.INVALID_CONFIG && e.configError() != null) {
            ConfigProblem p = ConfigProblem.of(e.configError(), bundle);
            return new ImportResultRow(e.entry(), e.tunnel(), false, p.message(), p.line());
        }
        return new ImportResultRow(e.entry(), e.tunnel(), false, errorText(e.error(), e.message(), e.tunnel()), 0);
    }

    private String errorText(ErrorCode code, String message, String tunnel) {
        if (code == ErrorCode.ALREADY_EXISTS && tunnel != null) {
            return String.format(bundle.getString("import.exists"), tunnel);
        }
        if (code == ErrorCode.INVALID_NAME) {
            return bundle.getString("import.badFileName");
        }
        if (code == ErrorCode.FORBIDDEN) {
            return bundle.getString("import.forbidden");
        }
        return message != null ? message : code == null ? "" : code.defaultMessage();
    }

    private ImportResultRow fail(String file, String tunnel, String message) {
        return new ImportResultRow(file, tunnel, false, message, 0);
    }

    private ImportResultRow failure(String file, String tunnel, Throwable t) {
        Throwable cause = ServiceException.unwrap(t);
        if (cause instanceof ServiceException se) {
            if (se.isConnectionFailure()) {
                return fail(file, tunnel, bundle.getString("import.notConnected"));
            }
            if (se.code() == ErrorCode.INVALID_CONFIG && se.configError() != null) {
                ConfigProblem p = ConfigProblem.of(se.configError(), bundle);
                return new ImportResultRow(file, tunnel, false, p.message(), p.line());
            }
            return fail(file, tunnel, errorText(se.code(), se.getMessage(), tunnel));
        }
        return fail(file, tunnel, String.valueOf(cause.getMessage()));
    }

    /** The last batch's rows. */
    public ObservableList<ImportResultRow> results() {
        return results;
    }

    public void clearResults() {
        results.clear();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }
}
