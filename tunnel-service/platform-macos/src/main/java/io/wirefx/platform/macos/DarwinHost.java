package io.wirefx.platform.macos;

import java.io.IOException;
import java.util.List;

/**
 * Where {@link DarwinNetwork} sends its changes: executed and journaled ({@link MacTunnelNetwork}), or printed
 * ({@link MacNetworkSetup#plan}). State is always read for real, through {@link DarwinState}.
 */
interface DarwinHost {

    /**
     * Makes one change. {@code undo} (may be null) is journaled before the command runs.
     *
     * @return whether the command succeeded (darwin.bash ignores the failure of some, e.g. endpoint routes)
     */
    boolean change(List<String> argv, MacJournal.Entry undo) throws IOException;

    /** The change {@code entry} was undone by a command already run through {@link #change}: drop it. */
    void forget(MacJournal.Entry entry) throws IOException;

    /** Runs a PreUp/PostUp/PreDown/PostDown hook, already expanded ({@code %i}, {@code %I}), with bash. */
    void hook(String command) throws IOException;
}
