/**
 * The WireGuard cross-platform userspace API (UAPI): the {@code key=value} text protocol that stock {@code wg}
 * speaks over {@code /var/run/wireguard/IFNAME.sock}. Sans-I/O: {@link io.wirefx.core.uapi.UapiSession} is fed the
 * bytes or lines of one connection and returns the replies to write; the device behind it is a
 * {@link io.wirefx.core.uapi.UapiDevice}.
 */
package io.wirefx.core.uapi;
