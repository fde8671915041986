package io.wirefx.ipc;

/**
 * Where and why a configuration text was rejected (mirrors the core's BadConfigException; never holds secrets).
 *
 * @param line    1-based line, 0 if the problem concerns the whole text
 * @param section {@code TOP_LEVEL}, {@code INTERFACE} or {@code PEER}
 * @param key     canonical key name ({@code AllowedIPs}) or null
 * @param reason  machine-readable reason ({@code INVALID_CIDR}, ...)
 * @param message a terse English rendering, e.g. {@code line 7, [Peer] AllowedIPs: INVALID_CIDR ("10.0.0.300/24")}
 */
public record ConfigError(int line, String section, String key, String reason, String message) {
}
