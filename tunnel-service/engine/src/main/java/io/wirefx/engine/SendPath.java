package io.wirefx.engine;

import io.wirefx.core.device.Datagram;
import io.wirefx.core.device.Device;
import io.wirefx.core.device.Keypair;
import io.wirefx.core.device.Peer;
import io.wirefx.core.device.TunnelResult;
import io.wirefx.engine.bind.DatagramBatch;
import io.wirefx.tun.PacketBatch;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The outbound direction, in flow order (like wireguard-go's send.go):
 * <ol>
 *   <li><b>tun-reader</b>: waits until the TUN device is readable, then, holding the stage lock, takes a batch of IP
 *       packets without waiting ({@code awaitReadable} + {@code readNow}; a plain blocking {@code read} for devices
 *       without them); for each, finds the peer by destination
 *       ({@code AllowedIps.lookupDestination}), takes the peer's fast-path keypair once per batch and a counter per
 *       packet, in order. Packets without a usable keypair (no session yet, packets staged, no route) go through
 *       {@code Device.encapsulate}, whose datagrams ride along with the batch. The batch is then offered to the
 *       crypto workers and queued, in order, for the sender.</li>
 *   <li><b>crypto</b> (workers and the sender): seals each packet in place: header in the headroom, padding and tag
 *       in the tailroom.</li>
 *   <li><b>sender</b>: takes batches in order, helps with / waits for their crypto, sends the datagrams with one
 *       batched bind call, then the slow-path datagrams, then reports to each peer ({@code Peer.afterSend}) and sends
 *       what that returns (rekey initiations). The batch goes back to the pool.</li>
 * </ol>
 * The receive path, right after it wrote to the TUN device, may run the reader's round itself without waiting
 * ({@link #pumpQueued}): the kernel's answer to what it wrote is then sent without waking the reader. The stage lock
 * keeps both in device order.
 * <p>The pool holds {@code pipelineDepth} batches: when they are all in flight the reader waits, and the TUN queue in
 * the kernel absorbs (or drops) the rest.
 */
final class SendPath {
    private static final int MIN_CHUNK = 8;
    /** Batches up to this size are finished by the producer when the stage thread is idle (light traffic). */
    static final int INLINE_MAX = 16;

    private final WireGuardEngine engine;
    private final Device device;
    private final ArrayBlockingQueue<Job> free;
    private final ArrayBlockingQueue<Job> ordered;
    /** Jobs handed to the stage thread and not finished yet; 0 lets the producer finish a job itself. */
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ControlSender inlineControl;
    /** Whether the TUN device has awaitReadable + readNow (then the reader and pumpQueued share the stage lock). */
    private final boolean splitRead;
    /**
     * Held from taking packets off the TUN device until they are sent or queued for the sender, by the reader and by
     * {@link #pumpQueued}: counters and sends stay in the order the device gave the packets.
     */
    private final ReentrantLock stageLock = new ReentrantLock();
    private final Thread reader;
    private final Thread sender;

    SendPath(WireGuardEngine engine) {
        this.engine = engine;
        this.device = engine.device;
        int depth = engine.pipelineDepth;
        this.free = new ArrayBlockingQueue<>(depth);
        this.ordered = new ArrayBlockingQueue<>(depth);
        this.inlineControl = new ControlSender(engine);
        this.splitRead = engine.tun.readsWithoutWaiting();
        for (int i = 0; i < depth; i++) {
            free.add(new Job(engine.batchSize, engine.tunCapacity()));
        }
        this.reader = WireGuardEngine.engineThread(engine.threadPrefix + "tun-reader", this::readLoop);
        this.sender = WireGuardEngine.engineThread(engine.threadPrefix + "sender", this::sendLoop);
    }

    void start() {
        reader.start();
        sender.start();
    }

    List<Thread> threads() {
        return List.of(reader, sender);
    }

    // ------------------------------------------------------------------ 1. TUN reader

    private void readLoop() {
        while (engine.running()) {
            if (!pumpOnce()) {
                return;
            }
        }
    }

    /**
     * One round of the reader: takes a free batch, reads from the TUN device, prepares it and either finishes it here
     * (idle sender, small batch) or queues it for the sender. Returns false when the reader should stop (interrupted,
     * TUN device gone). Also driven directly by {@link ManualDrive}.
     */
    boolean pumpOnce() {
        return splitRead ? pumpSplit() : pumpWhole();
    }

    /**
     * The reader's round where the device reads without waiting: wait for readability outside the stage lock, then
     * take and process the packets inside it, so that {@link #pumpQueued} never overtakes packets taken here.
     */
    private boolean pumpSplit() {
        try {
            if (!engine.tun.awaitReadable()) {
                engine.onTunGone();
                return false;
            }
        } catch (IOException e) {
            if (!engine.tun.isOpen()) {
                engine.onTunGone();
                return false;
            }
            engine.internalError("TUN wait", e);
            sleepQuietly();
            return true;
        }
        Job job;
        try {
            job = free.take();
        } catch (InterruptedException e) {
            return false;
        }
        stageLock.lock();
        try {
            job = fitted(job);
            int n = takeNow(job);
            if (n < 0) {
                free.add(job);
                engine.onTunGone();
                return false;
            }
            if (n == 0) {
                free.add(job); // the receive path took it (pumpQueued), or a spurious wake-up
                return true;
            }
            process(job, n, inlineControl);
            return true;
        } finally {
            stageLock.unlock();
        }
    }

    /** The reader's round with a blocking {@code read} (devices that cannot read without waiting). */
    private boolean pumpWhole() {
        Job job;
        try {
            job = free.take();
        } catch (InterruptedException e) {
            return false;
        }
        job = fitted(job);
        int n;
        try {
            n = engine.tun.read(job.packets);
        } catch (IOException e) {
            if (!engine.tun.isOpen()) {
                n = -1;
            } else {
                engine.internalError("TUN read", e);
                free.add(job);
                sleepQuietly();
                return true;
            }
        }
        if (n < 0) {
            free.add(job);
            engine.onTunGone();
            return false;
        }
        process(job, n, inlineControl);
        return true;
    }

    /**
     * Called by the receive path right after it wrote a small batch to the TUN device, on its own thread: the kernel
     * has often queued the answer already (an echo reply, a TCP ACK) during that write. Reading it now, without
     * waiting, and sending it from this thread, which is awake, saves waking the TUN reader: one thread wake-up less
     * per round trip, the larger share of a ping's time on an idle machine. Does nothing while the sender is busy
     * (a busy tunnel gains nothing and would see more reordering) or when no batch is free.
     */
    void pumpQueued(ControlSender control) {
        if (!splitRead || inFlight.get() != 0 || !stageLock.tryLock()) {
            return; // the reader is taking packets right now: it will take these too, in order
        }
        try {
            if (inFlight.get() != 0) {
                return;
            }
            Job job = free.poll();
            if (job == null) {
                return;
            }
            job = fitted(job);
            int n = takeNow(job);
            if (n <= 0) {
                free.add(job); // nothing queued, or gone (the reader notices that itself)
                return;
            }
            engine.count(EngineStats.Counter.TUN_PACKETS_READ_BY_RECEIVER, n);
            process(job, n, control);
        } finally {
            stageLock.unlock();
        }
    }

    /** {@code job}, or a larger one in its place if the MTU grew since it was made (the old one is retired). */
    private Job fitted(Job job) {
        int capacity = engine.tunCapacity();
        return job.packets.packetCapacity() < capacity ? new Job(engine.batchSize, capacity) : job;
    }

    /** {@code readNow} into the job: the count, 0 after an error on an open device (reported), -1 once it is gone. */
    private int takeNow(Job job) {
        try {
            return engine.tun.readNow(job.packets);
        } catch (IOException e) {
            if (!engine.tun.isOpen()) {
                return -1;
            }
            engine.internalError("TUN read", e);
            return 0;
        }
    }

    /** {@link ManualDrive} only: the lock the reader holds while it takes and processes packets. */
    ReentrantLock stageLock() {
        return stageLock;
    }

    /** Counts, prepares and dispatches {@code n} packets just read, then finishes them here or queues them. */
    private void process(Job job, int n, ControlSender control) {
        engine.count(EngineStats.Counter.TUN_PACKETS_READ, n);
        try {
            job.prepare(n);
        } catch (RuntimeException e) {
            engine.internalError("send preparation", e);
            job.abandon();
        }
        engine.crypto.dispatch(job, n, engine.crypto.chunksFor(n, MIN_CHUNK));
        if (engine.inlineWhenIdle && n <= INLINE_MAX && inFlight.get() == 0) {
            // the sender has nothing queued or in progress: finishing here keeps the order and saves a hand-off
            runStage(job, control);
            return;
        }
        inFlight.incrementAndGet();
        ordered.add(job); // never full: at most pipelineDepth jobs exist
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ 3. sender

    private void sendLoop() {
        ControlSender control = new ControlSender(engine);
        while (true) {
            Job job;
            try {
                job = ordered.take();
            } catch (InterruptedException e) {
                return;
            }
            runStage(job, control);
            inFlight.decrementAndGet();
        }
    }

    /** Waits for (and helps with) the job's crypto, then does its last stage and returns it to the pool. */
    private void runStage(Job job, ControlSender control) {
        job.helpAndAwait();
        try {
            job.finish(control);
        } catch (RuntimeException e) {
            engine.internalError("send", e);
        }
        job.reset();
        free.add(job);
    }

    // ------------------------------------------------------------------ the batch

    /** One pooled outbound batch and its per-packet and per-peer bookkeeping. */
    private final class Job extends ParallelJob {
        final PacketBatch packets;
        final DatagramBatch datagrams;
        final Keypair[] keypairs;
        final long[] counters;
        int mtu;
        long now;
        int fast; // packets sealed on the fast path

        // distinct peers of this batch (usually one or a few)
        Peer[] peers = new Peer[4];
        Keypair[] peerKeypairs = new Keypair[4];
        boolean[] peerExhausted = new boolean[4];
        InetSocketAddress[] peerEndpoints = new InetSocketAddress[4];
        long[] peerBytes = new long[4];
        int[] peerPackets = new int[4];
        int peerCount;
        final List<Datagram> slow = new ArrayList<>();

        Job(int slots, int capacity) {
            this.packets = new PacketBatch(slots, WireGuardEngine.HEADROOM, capacity, WireGuardEngine.TAILROOM);
            this.datagrams = new DatagramBatch(packets);
            this.keypairs = new Keypair[slots];
            this.counters = new long[slots];
        }

        /** Reader thread: routing, keypairs and counters, in packet order; slow-path packets handed to the core. */
        void prepare(int n) {
            now = engine.now();
            mtu = engine.mtu;
            fast = 0;
            for (int i = 0; i < n; i++) {
                byte[] a = packets.array(i);
                int off = packets.offset(i);
                int len = packets.length(i);
                Peer peer = device.allowedIps().lookupDestination(a, off, len);
                int p = peer == null ? -1 : peerSlot(peer);
                Keypair kp = p < 0 || peerExhausted[p] ? null : peerKeypairs[p];
                long c = -1;
                if (kp != null) {
                    c = device.reserveCounter(kp);
                    if (c == -1) { // exhausted: this and the peer's later packets take the slow path
                        peerExhausted[p] = true;
                        kp = null;
                    }
                }
                if (kp == null) {
                    // no route, no session, staged packets first, no endpoint: the core decides and counts
                    TunnelResult r = device.encapsulate(a, off, len, now);
                    if (r instanceof TunnelResult.Send s) {
                        slow.addAll(s.datagrams());
                    }
                    datagrams.setEndpoint(i, null);
                    keypairs[i] = null;
                    continue;
                }
                keypairs[i] = kp;
                counters[i] = c;
                datagrams.setEndpoint(i, peerEndpoints[p]);
                peerBytes[p] += Device.sealedLength(len, mtu);
                peerPackets[p]++;
                fast++;
            }
            engine.count(EngineStats.Counter.FAST_PATH_PACKETS, fast);
            engine.count(EngineStats.Counter.SLOW_PATH_PACKETS, n - fast);
        }

        /** Index of {@code peer} in this batch's peer table, adding it (with its fast keypair) on first sight. */
        private int peerSlot(Peer peer) {
            for (int i = 0; i < peerCount; i++) {
                if (peers[i] == peer) {
                    return i;
                }
            }
            if (peerCount == peers.length) {
                int m = peerCount * 2;
                peers = Arrays.copyOf(peers, m);
                peerKeypairs = Arrays.copyOf(peerKeypairs, m);
                peerExhausted = Arrays.copyOf(peerExhausted, m);
                peerEndpoints = Arrays.copyOf(peerEndpoints, m);
                peerBytes = Arrays.copyOf(peerBytes, m);
                peerPackets = Arrays.copyOf(peerPackets, m);
            }
            int i = peerCount++;
            peers[i] = peer;
            peerKeypairs[i] = peer.sendSession(now);
            peerExhausted[i] = false;
            peerEndpoints[i] = peer.endpoint();
            peerBytes[i] = 0;
            peerPackets[i] = 0;
            return i;
        }

        /** Crypto: seal packets {@code [from, to)} in place. Any thread. */
        @Override
        void runChunk(int chunk, int from, int to) {
            for (int i = from; i < to; i++) {
                Keypair kp = keypairs[i];
                if (kp == null) {
                    continue;
                }
                byte[] a = packets.array(i);
                int off = packets.offset(i);
                int len = packets.length(i);
                int n;
                try {
                    n = device.sealTransport(kp, counters[i], a, off - Keypair.HEADER, len, mtu);
                } catch (RuntimeException e) {
                    n = -1;
                }
                if (n < 0) {
                    // a keypair destroyed under us (rare race with key rotation): the packet is lost
                    datagrams.setEndpoint(i, null);
                    keypairs[i] = null;
                    engine.count(EngineStats.Counter.INTERNAL_ERRORS);
                    continue;
                }
                packets.set(i, off - Keypair.HEADER, n);
            }
        }

        /** Sender thread: UDP out in order, then the slow path's datagrams, then per-peer bookkeeping. */
        void finish(ControlSender control) {
            if (fast > 0) {
                engine.sendBatch(datagrams);
            }
            control.send(slow);
            for (int p = 0; p < peerCount; p++) {
                Keypair kp = peerKeypairs[p];
                if (kp != null && peerPackets[p] > 0) {
                    control.send(peers[p].afterSend(kp, now, peerBytes[p]));
                }
            }
        }

        /** After a failed preparation: send nothing of this batch. */
        void abandon() {
            Arrays.fill(keypairs, null);
            for (int i = 0; i < datagrams.capacity(); i++) {
                datagrams.setEndpoint(i, null);
            }
            fast = 0;
            Arrays.fill(peerPackets, 0); // no afterSend for anyone
            slow.clear();
        }

        void reset() {
            Arrays.fill(peers, 0, peerCount, null);
            Arrays.fill(peerKeypairs, 0, peerCount, null);
            Arrays.fill(peerEndpoints, 0, peerCount, null);
            peerCount = 0;
            fast = 0;
            slow.clear();
            Arrays.fill(keypairs, null);
            datagrams.clear();
        }
    }
}
