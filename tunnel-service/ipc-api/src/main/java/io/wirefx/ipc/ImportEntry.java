package io.wirefx.ipc;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * The outcome for one imported file (a single .conf, or one zip entry).
 *
 * @param entry       the file or zip entry name as given
 * @param tunnel      the tunnel name derived from it, or null if none could be derived
 * @param error       null if the tunnel was imported, else why not
 * @param message     human-readable detail for an error, or null
 * @param configError where the configuration is wrong, for {@link ErrorCode#INVALID_CONFIG}
 */
public record ImportEntry(String entry, String tunnel, ErrorCode error, String message, ConfigError configError) {
    /** True if this entry was imported. */
    @JsonIgnore
    public boolean ok() {
        return error == null;
    }
}
