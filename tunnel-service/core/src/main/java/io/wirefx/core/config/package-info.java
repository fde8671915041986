/**
 * The wg-quick configuration model: immutable {@link io.wirefx.core.config.Config}, {@link
 * io.wirefx.core.config.Interface} and {@link io.wirefx.core.config.PeerConfig} (a {@code [Peer]} section) with
 * builders, a parser that reports every problem as a {@link io.wirefx.core.config.BadConfigException} (line,
 * section, key, reason, non-secret value), and writers for the wg-quick and the plain wg formats.
 *
 * <p>Sans-I/O apart from the convenience {@code Config.parse(Path)}: no name-service lookups ever; host names stay
 * unresolved in {@link io.wirefx.core.config.InetEndpoint}.
 */
package io.wirefx.core.config;
