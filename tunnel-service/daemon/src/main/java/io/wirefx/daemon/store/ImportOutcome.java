package io.wirefx.daemon.store;

import io.wirefx.core.config.BadConfigException;

import java.util.Optional;

/**
 * The result for one imported file or zip entry.
 *
 * @param entry    the file or entry name as given (control characters replaced, cut to 200 characters)
 * @param tunnel   the tunnel name derived from it, or null
 * @param error    null if imported
 * @param message  detail of the error, or null
 * @param replaced true if an existing tunnel was overwritten
 */
public record ImportOutcome(String entry, String tunnel, StoreException.Reason error, String message,
                            BadConfigException configError, boolean replaced) {
    static ImportOutcome ok(String entry, String tunnel, boolean replaced) {
        return new ImportOutcome(entry, tunnel, null, null, null, replaced);
    }

    static ImportOutcome failed(String entry, String tunnel, StoreException e) {
        return new ImportOutcome(entry, tunnel, e.reason(), e.getMessage(), e.configError().orElse(null), false);
    }

    public boolean ok() {
        return error == null;
    }

    public Optional<BadConfigException> configErrorOpt() {
        return Optional.ofNullable(configError);
    }
}
