package io.wirefx.ui;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javafx.stage.Window;

/** The file choosers the UI opens; tests inject their own answers. */
public interface FileDialogs {

    /** Files to import ({@code .conf}, {@code .zip}); empty if cancelled. */
    List<Path> chooseImportFiles(Window owner);

    /** Where to write the export zip; empty if cancelled. */
    Optional<Path> chooseExportFile(Window owner, String suggestedName);

    /** Where to save the log; empty if cancelled. */
    Optional<Path> chooseLogFile(Window owner, String suggestedName);
}
