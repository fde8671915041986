/**
 * Batch-oriented TUN device API.
 *
 * <p>Typical engine loop (outbound direction):
 * <pre>{@code
 * PacketBatch batch = new PacketBatch(128, 16, mtu, 32);   // 16 B header room, 16 B tag + 15 B padding room
 * while (tun.read(batch) > 0) {
 *     for (int i = 0; i < batch.count(); i++) {
 *         byte[] a = batch.array(i);                      // IP packet at a[batch.offset(i) .. +batch.length(i))
 *         // write the header into a[offset-16 .. offset), pad and encrypt in place,
 *         // then batch.set(i, offset - 16, newLength) and send.
 *     }
 * }
 * // read returned -1: the device was closed or its interface was removed.
 * }</pre>
 * Drivers: {@link io.wirefx.tun.TunDriver} via {@link java.util.ServiceLoader}; tests use
 * {@link io.wirefx.tun.memory.MemoryTun}.
 */
package io.wirefx.tun;
