package io.wirefx.tun;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Behaviour every {@link TunDevice} must have. A driver's test extends this class and supplies a {@link Harness}: a
 * freshly opened device plus a way to make packets arrive at it and to observe packets it sends.
 *
 * <p>Payload-based: a harness wraps test payloads into whatever packets its device carries (e.g. IPv4/UDP on a real
 * TUN) and unwraps them again, ignoring unrelated background traffic. Timeouts here are only hang guards.
 */
public abstract class TunDeviceContract {

    /** Upper bound for anything that should happen "promptly"; only guards against hangs. */
    protected static final Duration HANG_GUARD = Duration.ofSeconds(10);

    /** Test-side access to one freshly opened device. */
    public interface Harness extends AutoCloseable {

        /** The device under test (open, link up, ready to carry packets). */
        TunDevice device();

        /** Bytes a device packet adds around a payload (0 if packets are the payloads themselves). */
        int overhead();

        /**
         * Makes the device receive one packet carrying {@code payload}, i.e. a later {@link TunDevice#read} returns
         * it. Returns once the packet is queued for the device.
         */
        void inject(byte[] payload) throws Exception;

        /** The payload of a packet read from the device, or null if it is not a complete harness packet. */
        byte[] payloadOf(byte[] array, int offset, int length);

        /** A packet that, written to the device, delivers {@code payload} to this harness. */
        byte[] packetFor(byte[] payload);

        /** The next payload delivered by a device write, or null if none arrives within {@code timeout}. */
        byte[] awaitDelivered(Duration timeout) throws Exception;

        /**
         * Deletes the underlying interface behind the device's back, as an administrator or the OS would.
         *
         * @return false if this harness cannot do that (the test is then skipped)
         */
        boolean removeInterface() throws Exception;

        /** Closes the device (if still open) and releases the harness. */
        @Override
        void close() throws IOException;
    }

    /** Opens a new harness; called before every test. */
    protected abstract Harness openHarness() throws Exception;

    private Harness harness;
    private TunDevice device;
    private final List<Thread> threads = new ArrayList<>();

    @BeforeEach
    public void openContractHarness() throws Exception {
        harness = openHarness();
        device = harness.device();
    }

    @AfterEach
    public void closeContractHarness() throws Exception {
        try {
            if (harness != null) {
                harness.close();
            }
        } finally {
            for (Thread t : threads) {
                t.join(HANG_GUARD.toMillis());
            }
        }
    }

    /** The harness of the running test. */
    protected final Harness harness() {
        return harness;
    }

    // ---------------------------------------------------------------- basics

    @Test
    public void reportsNameMtuAndOpenState() {
        assertNotNull(device.name());
        assertFalse(device.name().isBlank());
        assertTrue(device.mtu() >= TunDevice.MIN_MTU && device.mtu() <= TunDevice.MAX_MTU, "mtu " + device.mtu());
        assertTrue(device.isOpen());
    }

    // ---------------------------------------------------------------- reading

    @Test
    public void readsAnInjectedPacketAtTheHeadroom() throws Exception {
        byte[] payload = text("hello, tun");
        harness.inject(payload);
        PacketBatch batch = new PacketBatch(8, 16, 2048, 32);
        List<byte[]> got = readPayloads(batch, 1);
        assertArrayEquals(payload, got.getFirst());
    }

    @Test
    public void preservesPacketBoundariesAndOrder() throws Exception {
        int[] sizes = {1, 2, 100, 17, 1000, 3, 512, 64, 1200};
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            byte[] p = pattern(sizes[i], i);
            sent.add(p);
            harness.inject(p);
        }
        List<byte[]> got = readPayloads(new PacketBatch(4, 8, 2048, 8), sent.size());
        assertSameSequence(sent, got);
    }

    @Test
    public void aReadFillsAtMostTheBatchCapacity() throws Exception {
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            byte[] p = pattern(20 + i, 100 + i);
            sent.add(p);
            harness.inject(p);
        }
        PacketBatch batch = new PacketBatch(3, 1500);
        List<byte[]> got = new ArrayList<>();
        while (got.size() < sent.size()) {
            int n = guardedRead(batch);
            assertTrue(n >= 1 && n <= 3, "read returned " + n + " for a 3-slot batch");
            assertEquals(n, batch.count());
            got.addAll(harnessPayloads(batch));
        }
        assertSameSequence(sent, got);
    }

    @Test
    public void aReadDrainsEverythingAlreadyQueued() throws Exception {
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            byte[] p = pattern(40, 200 + i);
            sent.add(p);
            harness.inject(p);
        }
        PacketBatch batch = new PacketBatch(16, 1500);
        int n = guardedRead(batch);
        assertTrue(n >= 6, "one read should return all 6 queued packets, got " + n);
        assertSameSequence(sent, harnessPayloads(batch));
    }

    @Test
    public void dropsPacketsLargerThanTheSlotInsteadOfTruncating() throws Exception {
        int capacity = harness.overhead() + 32;
        byte[] big = pattern(200, 7);
        byte[] small = pattern(8, 9);
        harness.inject(big);
        harness.inject(small);
        PacketBatch batch = new PacketBatch(4, 4, capacity, 4);
        List<byte[]> got = readPayloads(batch, 1);
        assertArrayEquals(small, got.getFirst(), "the oversize packet must be dropped, not delivered truncated");
    }

    // ---------------------------------------------------------------- writing

    @Test
    public void writesEveryPacketOfABatch() throws Exception {
        List<byte[]> sent = new ArrayList<>();
        PacketBatch batch = new PacketBatch(8, 16, 2048, 32);
        for (int i = 0; i < 5; i++) {
            byte[] p = pattern(10 + 97 * i, 300 + i);
            sent.add(p);
            batch.add(harness.packetFor(p));
        }
        assertEquals(5, device.write(batch));
        assertEquals(5, batch.count(), "write must not modify the batch");
        assertSameElements(sent, awaitDelivered(5));
    }

    @Test
    public void writeSendsExactlyEachSlotsRegion() throws Exception {
        PacketBatch batch = new PacketBatch(3, 16, 256, 64);
        for (int i = 0; i < 3; i++) {
            Arrays.fill(batch.array(i), (byte) 0x5A); // garbage around every region
        }
        byte[] p0 = pattern(30, 1);
        byte[] p1 = pattern(31, 2);
        byte[] p2 = pattern(32, 3);
        byte[] w0 = harness.packetFor(p0);
        byte[] w1 = harness.packetFor(p1);
        byte[] w2 = harness.packetFor(p2);
        System.arraycopy(w0, 0, batch.array(0), 0, w0.length);
        batch.set(0, 0, w0.length); // into the headroom
        System.arraycopy(w1, 0, batch.array(1), 21, w1.length);
        batch.set(1, 21, w1.length); // after the headroom
        int end = batch.slotSize() - w2.length;
        System.arraycopy(w2, 0, batch.array(2), end, w2.length);
        batch.set(2, end, w2.length); // reaching into the tailroom
        batch.setCount(3);
        assertEquals(3, device.write(batch));
        assertSameElements(List.of(p0, p1, p2), awaitDelivered(3));
    }

    @Test
    public void writingAnEmptyBatchWritesNothing() throws Exception {
        assertEquals(0, device.write(new PacketBatch(4, 1500)));
        assertNull(harness.awaitDelivered(Duration.ofMillis(100)));
    }

    @Test
    public void readsAndWritesRunConcurrently() throws Exception {
        PacketBatch readBatch = new PacketBatch(8, 2048);
        Future<List<byte[]>> reader = startThread(() -> readPayloads(readBatch, 1));
        byte[] out = pattern(50, 11);
        PacketBatch writeBatch = new PacketBatch(1, 2048);
        writeBatch.add(harness.packetFor(out));
        assertEquals(1, device.write(writeBatch)); // must not be held up by the blocked reader
        assertArrayEquals(out, awaitDelivered(1).getFirst());
        byte[] in = pattern(60, 12);
        harness.inject(in);
        assertArrayEquals(in, reader.get(HANG_GUARD.toMillis(), TimeUnit.MILLISECONDS).getFirst());
    }

    // ---------------------------------------------------------------- readNow

    @Test
    public void readNowTakesWhatIsQueuedWithoutWaiting() throws Exception {
        PacketBatch batch = new PacketBatch(16, 8, 2048, 8);
        int idle = startThread(() -> device.readNow(batch)).get(HANG_GUARD.toMillis(), TimeUnit.MILLISECONDS);
        assertTrue(idle >= 0, "readNow on an open device returned " + idle);
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            byte[] p = pattern(60 + i, 300 + i);
            sent.add(p);
            harness.inject(p);
        }
        List<byte[]> got = new ArrayList<>();
        long deadline = System.nanoTime() + HANG_GUARD.toNanos() / 4;
        while (got.size() < sent.size() && System.nanoTime() < deadline) {
            int n = startThread(() -> device.readNow(batch)).get(HANG_GUARD.toMillis(), TimeUnit.MILLISECONDS);
            assertEquals(n, batch.count());
            for (int i = 0; i < n; i++) {
                assertEquals(batch.headroom(), batch.offset(i), "packets are read at the headroom");
            }
            got.addAll(harnessPayloads(batch));
            if (n == 0) {
                if (!device.readsWithoutWaiting()) { // then readNow may always return 0
                    return;
                }
                Thread.sleep(5); // injected, but the OS may still be on its way to queueing it
            }
        }
        assertSameSequence(sent, got);
    }

    @Test
    public void readNowDoesNotWaitForABlockedReader() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        Future<Integer> reader = startThread(() -> {
            started.countDown();
            int n;
            do { // a stray OS packet (router solicitation, ...) would end the read: wait for the close
                n = device.read(new PacketBatch(4, 1500));
            } while (n > 0);
            return n;
        });
        assertTrue(started.await(HANG_GUARD.toMillis(), TimeUnit.MILLISECONDS));
        Thread.sleep(100); // let it block in read
        int n = startThread(() -> device.readNow(new PacketBatch(4, 1500)))
                .get(HANG_GUARD.toMillis(), TimeUnit.MILLISECONDS);
        assertTrue(n >= 0, "readNow beside a blocked reader returned " + n);
        device.close();
        assertEquals(-1, reader.get(HANG_GUARD.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** The engine's reader loop over awaitReadable + readNow; returns -1 when the device ended it. */
    private int awaitAndReadUntilEnd(List<byte[]> into, CountDownLatch started) throws IOException {
        PacketBatch b = new PacketBatch(4, 1500);
        started.countDown();
        while (device.awaitReadable()) {
            int n = device.readNow(b);
            if (n < 0) {
                return -1;
            }
            synchronized (into) {
                into.addAll(harnessPayloads(b));
            }
        }
        return -1;
    }

    @Test
    public void awaitReadableWakesForAPacketThatReadNowThenTakes() throws Exception {
        assumeTrue(device.readsWithoutWaiting(), "no non-blocking read");
        List<byte[]> got = new ArrayList<>();
        CountDownLatch started = new CountDownLatch(1);
        Future<Integer> reader = startThread(() -> awaitAndReadUntilEnd(got, started));
        assertTrue(started.await(HANG_GUARD.toMillis(), TimeUnit.MILLISECONDS));
        Thread.sleep(50); // let it wait
        byte[] p = pattern(77, 7);
        harness.inject(p);
        long deadline = System.nanoTime() + HANG_GUARD.toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (got) {
                if (!got.isEmpty()) {
                    break;
                }
            }
            Thread.sleep(5);
        }
        synchronized (got) {
            assertEquals(1, got.size(), "the packet reached the waiting reader once");
            assertArrayEquals(p, got.getFirst());
        }
        device.close();
        assertEquals(-1, reader.get(HANG_GUARD.toMillis(), TimeUnit.MILLISECONDS), "close ends the wait");
    }

    @Test
    public void interfaceRemovalEndsAwaitReadable() throws Exception {
        assumeTrue(device.readsWithoutWaiting(), "no non-blocking read");
        CountDownLatch started = new CountDownLatch(1);
        Future<Integer> reader = startThread(() -> awaitAndReadUntilEnd(new ArrayList<>(), started));
        assertTrue(started.await(HANG_GUARD.toMillis(), TimeUnit.MILLISECONDS));
        Thread.sleep(100);
        assumeTrue(harness.removeInterface(), "harness cannot remove the interface");
        assertEquals(-1, reader.get(HANG_GUARD.toMillis(), TimeUnit.MILLISECONDS));
        assertFalse(device.isOpen());
        assertEquals(-1, device.readNow(new PacketBatch(1, 1500)));
    }

    @Test
    public void readNowAfterCloseReturnsMinusOne() throws Exception {
        harness.inject(text("left behind"));
        device.close();
        PacketBatch batch = new PacketBatch(4, 1500);
        assertEquals(-1, device.readNow(batch));
        assertEquals(0, batch.count());
    }

    // ---------------------------------------------------------------- closing

    @Test
    public void closeWakesABlockedReader() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        Future<Integer> reader = startThread(() -> {
            started.countDown();
            return device.read(new PacketBatch(4, 1500));
        });
        assertTrue(started.await(HANG_GUARD.toMillis(), TimeUnit.MILLISECONDS));
        Thread.sleep(100); // let it block in read (the result is the same if it has not yet)
        device.close();
        assertEquals(-1, reader.get(HANG_GUARD.toMillis(), TimeUnit.MILLISECONDS), "woken reader returns -1");
        assertFalse(device.isOpen());
    }

    @Test
    public void readAfterCloseReturnsMinusOne() throws Exception {
        harness.inject(text("left behind"));
        device.close();
        PacketBatch batch = new PacketBatch(4, 1500);
        batch.add(new byte[10]);
        assertEquals(-1, device.read(batch));
        assertEquals(0, batch.count());
        assertEquals(-1, device.read(batch), "stays closed");
    }

    @Test
    public void writeAndSetMtuAfterCloseThrow() {
        int mtu = device.mtu();
        device.close();
        device.close(); // idempotent
        assertFalse(device.isOpen());
        PacketBatch batch = new PacketBatch(1, 1500);
        batch.add(harness.packetFor(text("too late")));
        assertThrows(TunClosedException.class, () -> device.write(batch));
        assertThrows(TunClosedException.class, () -> device.setMtu(1280));
        assertEquals(mtu, device.mtu(), "last known MTU after close");
    }

    @Test
    public void closeFiresNoRemovalEvent() {
        LinkedBlockingQueue<TunEvent> events = listen();
        device.close();
        assertTrue(events.stream().noneMatch(e -> e instanceof TunEvent.DeviceRemoved), events.toString());
    }

    // ---------------------------------------------------------------- MTU and events

    @Test
    public void setMtuChangesTheMtuAndNotifiesOnce() throws Exception {
        LinkedBlockingQueue<TunEvent> events = listen();
        int old = device.mtu();
        int target = old == 1280 ? 1300 : 1280;
        device.setMtu(target);
        assertEquals(target, device.mtu());
        assertEquals(new TunEvent.MtuChanged(old, target), events.poll(HANG_GUARD.toMillis(), TimeUnit.MILLISECONDS));
        device.setMtu(target);
        assertEquals(target, device.mtu());
        assertTrue(events.stream().noneMatch(e -> e instanceof TunEvent.MtuChanged), "no event without a change");
    }

    @Test
    public void setMtuRejectsOutOfRangeValues() {
        int mtu = device.mtu();
        assertThrows(IllegalArgumentException.class, () -> device.setMtu(TunDevice.MIN_MTU - 1));
        assertThrows(IllegalArgumentException.class, () -> device.setMtu(TunDevice.MAX_MTU + 1));
        assertThrows(IllegalArgumentException.class, () -> device.setMtu(-1));
        assertEquals(mtu, device.mtu());
    }

    @Test
    public void removedListenersGetNoEvents() throws Exception {
        LinkedBlockingQueue<TunEvent> events = new LinkedBlockingQueue<>();
        TunEventListener l = (d, e) -> events.add(e);
        device.addListener(l);
        device.removeListener(l);
        device.setMtu(device.mtu() == 1280 ? 1300 : 1280);
        assertTrue(events.isEmpty(), events.toString());
    }

    @Test
    public void aThrowingListenerDoesNotBreakTheDevice() throws Exception {
        device.addListener((d, e) -> {
            throw new IllegalStateException("listener bug (expected by the test)");
        });
        LinkedBlockingQueue<TunEvent> events = listen();
        device.setMtu(device.mtu() == 1280 ? 1300 : 1280);
        assertInstanceOf(TunEvent.MtuChanged.class, events.poll(HANG_GUARD.toMillis(), TimeUnit.MILLISECONDS));
        assertTrue(device.isOpen());
    }

    @Test
    public void interfaceRemovalEndsReadsAndNotifiesOnce() throws Exception {
        LinkedBlockingQueue<TunEvent> events = listen();
        CountDownLatch started = new CountDownLatch(1);
        Future<Integer> reader = startThread(() -> {
            started.countDown();
            PacketBatch b = new PacketBatch(4, 1500);
            int n;
            do {
                n = device.read(b); // background packets may arrive before the removal
            } while (n > 0);
            return n;
        });
        assertTrue(started.await(HANG_GUARD.toMillis(), TimeUnit.MILLISECONDS));
        Thread.sleep(100);
        assumeTrue(harness.removeInterface(), "harness cannot remove the interface");
        assertEquals(-1, reader.get(HANG_GUARD.toMillis(), TimeUnit.MILLISECONDS));
        TunEvent e;
        do {
            e = events.poll(HANG_GUARD.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(e, "no DeviceRemoved event");
        } while (!(e instanceof TunEvent.DeviceRemoved));
        assertFalse(device.isOpen());
        assertEquals(-1, device.read(new PacketBatch(1, 1500)));
        PacketBatch batch = new PacketBatch(1, 1500);
        batch.add(harness.packetFor(text("gone")));
        assertThrows(TunClosedException.class, () -> device.write(batch));
        device.close();
        assertTrue(events.stream().noneMatch(x -> x instanceof TunEvent.DeviceRemoved), "DeviceRemoved fired twice");
    }

    // ---------------------------------------------------------------- helpers

    /** Registers a listener that queues every event. */
    protected final LinkedBlockingQueue<TunEvent> listen() {
        LinkedBlockingQueue<TunEvent> q = new LinkedBlockingQueue<>();
        device.addListener((d, e) -> {
            assertTrue(d == device);
            q.add(e);
        });
        return q;
    }

    /** Reads until {@code expected} harness payloads have arrived, checking the batch invariants of every read. */
    protected final List<byte[]> readPayloads(PacketBatch batch, int expected) throws Exception {
        List<byte[]> got = new ArrayList<>();
        while (got.size() < expected) {
            int n = guardedRead(batch);
            assertTrue(n >= 1, "read returned " + n + " on an open device");
            assertTrue(n <= batch.capacity());
            assertEquals(n, batch.count());
            for (int i = 0; i < n; i++) {
                assertEquals(batch.headroom(), batch.offset(i), "packets are read at the headroom");
                assertTrue(batch.length(i) >= 1 && batch.length(i) <= batch.packetCapacity(),
                        "length " + batch.length(i));
            }
            got.addAll(harnessPayloads(batch));
        }
        assertEquals(expected, got.size(), "more harness packets than expected");
        return got;
    }

    private List<byte[]> harnessPayloads(PacketBatch batch) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < batch.count(); i++) {
            byte[] p = harness.payloadOf(batch.array(i), batch.offset(i), batch.length(i));
            if (p != null) {
                out.add(p);
            }
        }
        return out;
    }

    /** {@code device.read(batch)} on another thread, failing instead of hanging if it never returns. */
    protected final int guardedRead(PacketBatch batch) throws Exception {
        return startThread(() -> device.read(batch)).get(HANG_GUARD.toMillis(), TimeUnit.MILLISECONDS);
    }

    private List<byte[]> awaitDelivered(int n) throws Exception {
        List<byte[]> got = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] p = harness.awaitDelivered(HANG_GUARD);
            if (p == null) {
                fail("only " + got.size() + " of " + n + " written packets were delivered");
            }
            got.add(p);
        }
        return got;
    }

    /** Runs {@code task} on a new daemon thread that the test joins at teardown. */
    protected final <T> Future<T> startThread(java.util.concurrent.Callable<T> task) {
        FutureTask<T> f = new FutureTask<>(task) {
            @Override
            public T get(long timeout, TimeUnit unit)
                    throws InterruptedException, ExecutionException, TimeoutException {
                try {
                    return super.get(timeout, unit);
                } catch (TimeoutException e) {
                    throw new AssertionError("hang guard: operation did not finish within " + timeout + " " + unit);
                }
            }
        };
        Thread t = new Thread(f, "tun-contract-" + threads.size());
        t.setDaemon(true);
        threads.add(t);
        t.start();
        return f;
    }

    private static void assertSameSequence(List<byte[]> expected, List<byte[]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "packet " + i);
        }
    }

    private static void assertSameElements(List<byte[]> expected, List<byte[]> actual) {
        assertEquals(sorted(expected), sorted(actual));
    }

    private static List<String> sorted(List<byte[]> packets) {
        return packets.stream().map(Arrays::toString).sorted().toList();
    }

    /** Deterministic bytes: size {@code n}, content depending on {@code seed}. */
    protected static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed * 31 + i * 7 + (i >> 8));
        }
        return b;
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
