package io.wirefx.platform;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The runner of a dry run: commands that only read the system's state run for real through the wrapped runner;
 * commands that would change it are printed, one per line in shell syntax (input fed on standard input as a quoted
 * here-document), and reported as successful.
 */
public final class PlanRunner implements CommandRunner {
    private final CommandRunner reader;
    private final Consumer<String> out;

    public PlanRunner(CommandRunner reader, Consumer<String> out) {
        this.reader = Objects.requireNonNull(reader, "reader");
        this.out = Objects.requireNonNull(out, "out");
    }

    @Override
    public CommandResult run(List<String> argv, String stdin) throws IOException {
        return reader.run(argv, stdin);
    }

    @Override
    public CommandResult change(List<String> argv, String stdin) {
        out.accept(render(argv, stdin));
        return CommandResult.ok("");
    }

    /** A command as a shell line; input on standard input as a quoted here-document. */
    public static String render(List<String> argv, String stdin) {
        String line = argv.stream().map(PlanRunner::quote).collect(Collectors.joining(" "));
        if (stdin == null) {
            return line;
        }
        return line + " <<'EOF'\n" + (stdin.endsWith("\n") ? stdin : stdin + "\n") + "EOF";
    }

    @Override
    public boolean hasProgram(String program) {
        return reader.hasProgram(program);
    }

    /** Shell-quotes a word only where it needs it, so plain commands read as typed. */
    static String quote(String word) {
        if (!word.isEmpty() && word.chars().allMatch(c -> c < 128 && Character.isLetterOrDigit(c)
                || "-_./:=,+@%^".indexOf(c) >= 0)) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
