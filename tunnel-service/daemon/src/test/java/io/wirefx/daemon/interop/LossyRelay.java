package io.wirefx.daemon.interop;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.SplittableRandom;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bad network between two WireGuard endpoints: a UDP relay that drops, duplicates, reorders and delays. Endpoint A
 * is told that its peer lives at {@link #forA()}, endpoint B that its peer lives at {@link #forB()}; each datagram is
 * delayed by 2 ms ± 1 ms, a share of them by 10-30 ms more (so that later ones overtake them), a share dropped and a
 * share sent twice. Answers leave from the socket the other side talks to, so neither side sees its peer roam.
 * Create it on a thread inside the namespace it should live in; the counters say what it did.
 */
final class LossyRelay implements AutoCloseable {
    final AtomicLong forwarded = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();
    final AtomicLong duplicatedTransport = new AtomicLong();
    final AtomicLong reordered = new AtomicLong();
    final AtomicLong initiations = new AtomicLong();

    private final DatagramChannel sideA;
    private final DatagramChannel sideB;
    private final InetSocketAddress a;
    private final InetSocketAddress b;
    private final double drop;
    private final double duplicate;
    private final double reorder;
    private final DelayQueue<Pending> queue = new DelayQueue<>();
    private final Thread[] threads;
    private volatile boolean closed;

    private record Pending(long due, DatagramChannel out, byte[] data, InetSocketAddress to) implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(due - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(due, ((Pending) o).due);
        }
    }

    /**
     * @param bindAddress where both relay sockets listen (an address both endpoints reach)
     * @param a           endpoint A's real address
     * @param b           endpoint B's real address
     */
    LossyRelay(String bindAddress, InetSocketAddress a, InetSocketAddress b, double drop, double duplicate,
               double reorder, long seed) throws IOException {
        this.a = a;
        this.b = b;
        this.drop = drop;
        this.duplicate = duplicate;
        this.reorder = reorder;
        sideA = DatagramChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress(bindAddress, 0));
        sideB = DatagramChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress(bindAddress, 0));
        threads = new Thread[]{
                Thread.ofPlatform().daemon().name("relay-a").start(() -> pump(sideA, sideB, b, seed)),
                Thread.ofPlatform().daemon().name("relay-b").start(() -> pump(sideB, sideA, a, seed + 1)),
                Thread.ofPlatform().daemon().name("relay-out").start(this::deliver)};
    }

    /** The address endpoint A uses for its peer. */
    InetSocketAddress forA() throws IOException {
        return (InetSocketAddress) sideA.getLocalAddress();
    }

    /** The address endpoint B uses for its peer. */
    InetSocketAddress forB() throws IOException {
        return (InetSocketAddress) sideB.getLocalAddress();
    }

    private void pump(DatagramChannel in, DatagramChannel out, InetSocketAddress to, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        ByteBuffer buf = ByteBuffer.allocate(65536);
        while (!closed) {
            try {
                buf.clear();
                in.receive(buf);
                byte[] data = new byte[buf.position()];
                buf.flip().get(data);
                if (data.length > 0 && data[0] == 1) {
                    initiations.incrementAndGet();
                }
                if (rnd.nextDouble() < drop) {
                    dropped.incrementAndGet();
                    continue;
                }
                long delay = 1_000_000L + rnd.nextLong(2_000_000L);
                if (rnd.nextDouble() < reorder) {
                    delay += 10_000_000L + rnd.nextLong(20_000_000L);
                    reordered.incrementAndGet();
                }
                long now = System.nanoTime();
                queue.add(new Pending(now + delay, out, data, to));
                forwarded.incrementAndGet();
                if (rnd.nextDouble() < duplicate) {
                    queue.add(new Pending(now + delay + 100_000L, out, data, to));
                    if (data.length > 0 && data[0] == 4) {
                        duplicatedTransport.incrementAndGet();
                    }
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    private void deliver() {
        while (!closed) {
            try {
                Pending p = queue.poll(100, TimeUnit.MILLISECONDS);
                if (p != null) {
                    p.out.send(ByteBuffer.wrap(p.data), p.to);
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                // the far side is not there (yet): a lost datagram
            }
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        sideA.close();
        sideB.close();
        for (Thread t : threads) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
