package io.wirefx.installers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Running the repository's scripts and host tools from tests. */
final class Processes {

    /** What a finished process printed and returned. */
    record Result(int exitCode, String out, String err) {
        String both() {
            return out + err;
        }
    }

    private Processes() {
    }

    /** The root of this checkout (the directory holding {@code bin/wirefx}). */
    static Path repoRoot() {
        for (Path q = Path.of("").toAbsolutePath(); q != null; q = q.getParent()) {
            if (Files.isExecutable(q.resolve("bin/wirefx")) && Files.isDirectory(q.resolve("installers"))) {
                return q;
            }
        }
        throw new IllegalStateException("not inside a WireFX checkout: " + Path.of("").toAbsolutePath());
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }

    /** Runs {@code command} in {@code dir}, waits up to {@code timeoutSeconds} (then kills it and fails). */
    static Result run(Path dir, Map<String, String> env, long timeoutSeconds, List<String> command)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("wirefx-test-out", ".txt");
        Path err = Files.createTempFile("wirefx-test-err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().remove("CI");
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError(command + " did not finish in " + timeoutSeconds + " s; stdout:\n"
                        + Files.readString(out) + "\nstderr:\n" + Files.readString(err));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static Result run(Path dir, long timeoutSeconds, String... command) throws IOException, InterruptedException {
        return run(dir, Map.of(), timeoutSeconds, List.of(command));
    }
}
