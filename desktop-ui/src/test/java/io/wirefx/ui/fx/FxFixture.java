package io.wirefx.ui.fx;

import io.wirefx.ui.FileDialogs;
import io.wirefx.ui.MainWindow;
import io.wirefx.ui.TestTexts;
import io.wirefx.ui.UiContext;
import io.wirefx.ui.format.Formats;
import io.wirefx.ui.service.ServiceClient;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javafx.application.Platform;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.testfx.util.WaitForAsyncUtils;

/** Builds the main window on a stage for TestFX tests, with scripted file-chooser answers. */
public final class FxFixture {
    /** The next answers of the import chooser (consumed), and what the save choosers return. */
    public final List<List<Path>> importAnswers = new ArrayList<>();
    public Path exportAnswer;
    public Path logAnswer;
    public final UiContext ctx;
    public MainWindow main;

    public FxFixture(ServiceClient service) {
        ctx = new UiContext(service, Platform::runLater, Executors.newVirtualThreadPerTaskExecutor(),
                TestTexts.BUNDLE, new Formats(TestTexts.BUNDLE), System::currentTimeMillis, ZoneOffset.UTC,
                new SecureRandom(), new FileDialogs() {
                    @Override
                    public List<Path> chooseImportFiles(Window owner) {
                        return importAnswers.isEmpty() ? List.of() : importAnswers.removeFirst();
                    }

                    @Override
                    public Optional<Path> chooseExportFile(Window owner, String suggestedName) {
                        return Optional.ofNullable(exportAnswer);
                    }

                    @Override
                    public Optional<Path> chooseLogFile(Window owner, String suggestedName) {
                        return Optional.ofNullable(logAnswer);
                    }
                });
    }

    /** Shows the main window on {@code stage} (call from @Start, on the FX thread). */
    public MainWindow show(Stage stage, double width, double height) {
        main = new MainWindow(ctx);
        stage.setScene(main.scene());
        stage.setTitle("WireFX");
        stage.setWidth(width);
        stage.setHeight(height);
        stage.show();
        return main;
    }

    /** Waits up to 15 s for {@code condition}, evaluated on the FX thread. */
    public static void waitUntil(String what, BooleanSupplier condition) {
        waitUntil(what, condition, () -> "");
    }

    /** As {@link #waitUntil(String, BooleanSupplier)}, adding {@code state} (read on the FX thread) to a timeout. */
    public static void waitUntil(String what, BooleanSupplier condition, Callable<String> state) {
        try {
            WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> onFx(condition::getAsBoolean));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting until " + what + " " + onFx(state));
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** Runs {@code c} on the FX thread and returns its result. */
    public static <T> T onFx(Callable<T> c) {
        if (Platform.isFxApplicationThread()) {
            try {
                return c.call();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        return WaitForAsyncUtils.waitForAsyncFx(15_000, c);
    }
}
