package io.wirefx.ui.importing;

/**
 * The outcome for one imported file or zip entry.
 *
 * @param file    the file or zip entry name
 * @param tunnel  the tunnel name it was (or would have been) imported as, or null
 * @param ok      imported
 * @param message localized: "Imported as wg0" or the reason, with its line for configuration errors
 * @param line    1-based line of a configuration error, else 0
 */
public record ImportResultRow(String file, String tunnel, boolean ok, String message, int line) {
}
