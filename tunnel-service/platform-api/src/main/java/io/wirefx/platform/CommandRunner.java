package io.wirefx.platform;

import java.io.IOException;
import java.util.List;

/**
 * Runs the host tools the network configuration is made of ({@code ip}, {@code nft}, {@code sysctl},
 * {@code resolvconf}/{@code resolvectl}, {@code bash} for hooks). Production code uses {@link ProcessCommandRunner};
 * unit tests substitute a fake that records the command plan and answers queries from canned output.
 */
public interface CommandRunner {

    /**
     * Runs {@code argv} (no shell), feeding {@code stdin} (null: nothing) and waits for it.
     *
     * @throws IOException if the program cannot be started or does not finish in time; a non-zero exit is not an
     *                     exception, it is in the result
     */
    CommandResult run(List<String> argv, String stdin) throws IOException;

    /**
     * Runs a command that changes the system (as opposed to one that only reads its state). The same as {@link #run}
     * here; a {@link PlanRunner} prints it instead, which is how a dry run shows exactly the changes a real run makes.
     */
    default CommandResult change(List<String> argv, String stdin) throws IOException {
        return run(argv, stdin);
    }

    /** Runs {@code argv} without input. */
    default CommandResult run(List<String> argv) throws IOException {
        return run(argv, null);
    }

    /** True if {@code program} (a bare name) is on the search path. */
    boolean hasProgram(String program);

    /** Exit code and captured output of one command. */
    record CommandResult(int exitCode, String stdout, String stderr) {
        public CommandResult {
            stdout = stdout == null ? "" : stdout;
            stderr = stderr == null ? "" : stderr;
        }

        public static CommandResult ok(String stdout) {
            return new CommandResult(0, stdout, "");
        }

        public static CommandResult failed(int code, String stderr) {
            return new CommandResult(code, "", stderr);
        }

        public boolean succeeded() {
            return exitCode == 0;
        }
    }
}
