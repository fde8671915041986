package io.wirefx.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A temporary state directory for a dry run: the real configurator journals and locks there instead of in the
 * runtime directory, and everything is deleted on {@link #close()}.
 */
public final class PlanWorkspace implements AutoCloseable {
    private final Path dir;

    private PlanWorkspace(Path dir) {
        this.dir = dir;
    }

    /** @throws NetconfigException PRECONDITION if no temporary directory can be made */
    public static PlanWorkspace create() throws NetconfigException {
        try {
            return new PlanWorkspace(Files.createTempDirectory("wirefx-plan"));
        } catch (IOException e) {
            throw new NetconfigException(NetconfigException.Kind.PRECONDITION, "cannot create a temporary directory: "
                    + e.getMessage(), e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** Deletes the directory and what the plan left in it. Never throws. */
    @Override
    public void close() {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // a temporary directory; the OS cleans it eventually
        }
    }
}
