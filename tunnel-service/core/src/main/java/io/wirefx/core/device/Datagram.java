package io.wirefx.core.device;

import java.net.InetSocketAddress;

/** One UDP payload to send to {@code to}. {@code data} is exactly the payload (owned by the receiver). */
public record Datagram(InetSocketAddress to, byte[] data) {
}
