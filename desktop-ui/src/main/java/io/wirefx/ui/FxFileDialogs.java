package io.wirefx.ui;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.ResourceBundle;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/** {@link FileDialogs} with the platform's {@link FileChooser}. Remembers the last import folder. */
public final class FxFileDialogs implements FileDialogs {
    private final ResourceBundle bundle;
    private File lastFolder;

    public FxFileDialogs(ResourceBundle bundle) {
        this.bundle = bundle;
    }

    @Override
    public List<Path> chooseImportFiles(Window owner) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(bundle.getString("import.title"));
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(bundle.getString("import.filter"),
                "*.conf", "*.zip"));
        if (lastFolder != null && lastFolder.isDirectory()) {
            chooser.setInitialDirectory(lastFolder);
        }
        List<File> files = chooser.showOpenMultipleDialog(owner);
        if (files == null || files.isEmpty()) {
            return List.of();
        }
        lastFolder = files.getFirst().getParentFile();
        return files.stream().map(File::toPath).toList();
    }

    @Override
    public Optional<Path> chooseExportFile(Window owner, String suggestedName) {
        return save(owner, bundle.getString("export.title"), suggestedName, "*.zip");
    }

    @Override
    public Optional<Path> chooseLogFile(Window owner, String suggestedName) {
        return save(owner, bundle.getString("log.saveTitle"), suggestedName, "*.log");
    }

    private Optional<Path> save(Window owner, String title, String name, String pattern) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(title);
        chooser.setInitialFileName(name);
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(pattern, pattern));
        File f = chooser.showSaveDialog(owner);
        return Optional.ofNullable(f).map(File::toPath);
    }
}
