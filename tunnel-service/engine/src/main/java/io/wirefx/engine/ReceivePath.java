package io.wirefx.engine;

import io.wirefx.core.device.Device;
import io.wirefx.core.device.Opening;
import io.wirefx.core.device.TunnelResult;
import io.wirefx.core.message.MessageType;
import io.wirefx.engine.bind.DatagramBatch;
import io.wirefx.engine.bind.UdpBind;
import io.wirefx.tun.PacketBatch;
import io.wirefx.tun.TunClosedException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The inbound direction, in flow order (like wireguard-go's receive.go):
 * <ol>
 *   <li><b>udp-receiver</b>: receives a batch of datagrams from the current bind (following rebinds). Transport
 *       messages stay in the batch; handshake-type messages (initiation, response, cookie reply) are copied to the
 *       bounded handshake queue (full = drop + count); anything else is handed to {@code Device.decapsulate}, which
 *       counts it as malformed. The batch is offered to the crypto workers and queued, in order, for the
 *       deliverer.</li>
 *   <li><b>crypto</b> (workers and the deliverer): {@code Device.openTransport} decrypts in place.</li>
 *   <li><b>deliverer</b>: in arrival order, {@code Device.completeTransport} (replay window, key rotation, roaming,
 *       timers, source check); delivered packets stay where they were decrypted and the slots are written to the TUN
 *       device with one batched call, so a received packet is never copied on the heap.</li>
 *   <li><b>handshake</b>: one thread serves the handshake queue through {@code Device.decapsulate}, reporting the
 *       queue length ({@code reportHandshakeBacklog}) so that the device turns cookies on under load.</li>
 * </ol>
 */
final class ReceivePath {
    private static final int MIN_CHUNK = 8;
    /** Batches up to this size are finished by the producer when the stage thread is idle (light traffic). */
    static final int INLINE_MAX = 16;

    private record Handshake(byte[] message, InetSocketAddress from) {
    }

    private final WireGuardEngine engine;
    private final Device device;
    private final ArrayBlockingQueue<Job> free;
    private final ArrayBlockingQueue<Job> ordered;
    /** Jobs handed to the stage thread and not finished yet; 0 lets the producer finish a job itself. */
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ControlSender inlineControl;
    /** For the send path's stage when this thread sends the kernel's answers ({@link SendPath#pumpQueued}). */
    private final ControlSender replyControl;
    private final ArrayBlockingQueue<Handshake> handshakes;
    private final Thread receiver;
    private final Thread deliverer;
    private final Thread handshakeThread;

    ReceivePath(WireGuardEngine engine) {
        this.engine = engine;
        this.device = engine.device;
        int depth = engine.pipelineDepth;
        this.free = new ArrayBlockingQueue<>(depth);
        this.ordered = new ArrayBlockingQueue<>(depth);
        this.inlineControl = new ControlSender(engine);
        this.replyControl = new ControlSender(engine);
        this.handshakes = new ArrayBlockingQueue<>(engine.handshakeQueueSize);
        for (int i = 0; i < depth; i++) {
            free.add(new Job(engine.batchSize, engine.datagramCapacity()));
        }
        String p = engine.threadPrefix;
        this.receiver = WireGuardEngine.engineThread(p + "udp-receiver", this::receiveLoop);
        this.deliverer = WireGuardEngine.engineThread(p + "deliverer", this::deliverLoop);
        this.handshakeThread = WireGuardEngine.engineThread(p + "handshake", this::handshakeLoop);
    }

    void start() {
        receiver.start();
        deliverer.start();
        handshakeThread.start();
    }

    List<Thread> threads() {
        return List.of(receiver, deliverer, handshakeThread);
    }

    // ------------------------------------------------------------------ 1. UDP receiver

    private void receiveLoop() {
        while (engine.running()) {
            if (!pumpOnce()) {
                return;
            }
        }
    }

    /**
     * One round of the receiver: takes a free batch, receives from the current bind, sorts it and either completes
     * it here (idle deliverer, small batch) or queues it for the deliverer. Returns false when interrupted. Also
     * driven directly by {@link ManualDrive}.
     */
    boolean pumpOnce() {
        Job job;
        try {
            job = free.take();
        } catch (InterruptedException e) {
            return false;
        }
        int capacity = engine.datagramCapacity();
        if (job.datagrams.packetCapacity() < capacity) {
            job = new Job(engine.batchSize, capacity);
        }
        UdpBind b = engine.bind;
        int n;
        try {
            n = b == null ? -1 : b.receive(job.datagrams);
        } catch (IOException e) {
            if (b.isOpen() && engine.running()) {
                engine.internalError("UDP receive", e);
                sleepQuietly();
            }
            n = -1;
        }
        if (n < 0) {
            free.add(job);
            if (b == engine.bind && engine.running()) {
                sleepQuietly(); // the bind closed but was not replaced (yet): do not spin
            }
            return true; // a rebind replaced it: go on with the new one
        }
        engine.count(EngineStats.Counter.DATAGRAMS_RECEIVED, n);
        int transport;
        try {
            transport = job.prepare(n);
        } catch (RuntimeException e) {
            engine.internalError("receive preparation", e);
            job.abandon();
            transport = 0;
        }
        engine.crypto.dispatch(job, n, transport == 0 ? 1 : engine.crypto.chunksFor(n, MIN_CHUNK));
        if (engine.inlineWhenIdle && n <= INLINE_MAX && inFlight.get() == 0) {
            // the deliverer has nothing queued or in progress: completing here keeps the order, saves a hand-off
            if (runStage(job, inlineControl)) {
                engine.sendPath.pumpQueued(replyControl); // the kernel's answer, if it is there already
            }
            return true;
        }
        inFlight.incrementAndGet();
        ordered.add(job); // never full: at most pipelineDepth jobs exist
        return true;
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ 3. deliverer

    private void deliverLoop() {
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

    /**
     * Waits for (and helps with) the job's crypto, then does its last stage and returns it to the pool. Returns
     * whether packets were written to the TUN device.
     */
    private boolean runStage(Job job, ControlSender control) {
        job.helpAndAwait();
        boolean wrote = false;
        try {
            wrote = job.complete(control);
        } catch (RuntimeException e) {
            engine.internalError("deliver", e);
        }
        job.reset();
        free.add(job);
        return wrote;
    }

    // ------------------------------------------------------------------ 4. handshake

    private void handshakeLoop() {
        ControlSender control = new ControlSender(engine);
        while (true) {
            Handshake h;
            try {
                h = handshakes.take();
            } catch (InterruptedException e) {
                return;
            }
            handle(h, control);
        }
    }

    /** Serves the handshake messages queued now on the calling thread ({@link ManualDrive}); returns how many. */
    int serveQueuedHandshakes(ControlSender control) {
        int served = 0;
        Handshake h;
        while ((h = handshakes.poll()) != null) {
            handle(h, control);
            served++;
        }
        return served;
    }

    private void handle(Handshake h, ControlSender control) {
        try {
            long now = engine.now();
            device.reportHandshakeBacklog(handshakes.size(), now);
            TunnelResult r = device.decapsulate(h.message(), 0, h.message().length, h.from(), now);
            switch (r) {
                case TunnelResult.Send s -> control.send(s.datagrams());
                case TunnelResult.Done d -> control.send(d.alsoSend());
                case TunnelResult.Deliver d -> control.send(d.alsoSend()); // not produced by handshakes
                case TunnelResult.Drop d -> {
                    // counted by the device
                }
            }
        } catch (RuntimeException e) {
            engine.internalError("handshake", e);
        }
    }

    // ------------------------------------------------------------------ the batch

    /** One pooled inbound batch. */
    private final class Job extends ParallelJob {
        final DatagramBatch datagrams;
        final PacketBatch packets;
        final boolean[] transport;
        final Opening[] openings;
        long now;

        Job(int slots, int capacity) {
            this.datagrams = new DatagramBatch(slots, 0, capacity, 1);
            this.packets = datagrams.packets();
            this.transport = new boolean[slots];
            this.openings = new Opening[slots];
        }

        /** Receiver thread: sort the batch by message type. Returns the number of transport messages. */
        int prepare(int n) {
            now = engine.now();
            int t = 0;
            for (int i = 0; i < n; i++) {
                byte[] a = datagrams.array(i);
                int off = datagrams.offset(i);
                int len = datagrams.length(i);
                int type = MessageType.typeOf(a, off, len);
                transport[i] = type == MessageType.TRANSPORT;
                if (transport[i]) {
                    t++;
                } else if (type != MessageType.INVALID) {
                    engine.count(EngineStats.Counter.HANDSHAKE_MESSAGES);
                    if (!handshakes.offer(new Handshake(Arrays.copyOfRange(a, off, off + len), datagrams.endpoint(i)))) {
                        engine.count(EngineStats.Counter.HANDSHAKE_QUEUE_DROPS);
                    }
                } else {
                    device.decapsulate(a, off, len, datagrams.endpoint(i), now); // counted as MALFORMED
                }
            }
            return t;
        }

        /** Crypto: decrypt transport messages {@code [from, to)} in place. Any thread. */
        @Override
        void runChunk(int chunk, int from, int to) {
            for (int i = from; i < to; i++) {
                openings[i] = transport[i]
                        ? device.openTransport(datagrams.array(i), datagrams.offset(i), datagrams.length(i), now)
                        : null;
            }
        }

        /**
         * Deliverer thread: complete in arrival order, then write what was delivered to the TUN device. Returns
         * whether anything was written.
         */
        boolean complete(ControlSender control) {
            int n = datagrams.count();
            int w = 0;
            int done = 0;
            for (int i = 0; i < n; i++) {
                if (!(openings[i] instanceof Opening.Opened opened)) {
                    continue; // not transport, or dropped and counted by the device
                }
                TunnelResult r = device.completeTransport(opened, datagrams.array(i), datagrams.offset(i),
                        datagrams.length(i), datagrams.endpoint(i), now);
                switch (r) {
                    case TunnelResult.Deliver d -> {
                        done++;
                        packets.set(i, d.offset(), d.length());
                        if (i != w) {
                            packets.swap(w, packets, i);
                        }
                        w++;
                        control.send(d.alsoSend());
                    }
                    case TunnelResult.Done d -> {
                        done++;
                        control.send(d.alsoSend());
                    }
                    case TunnelResult.Send s -> control.send(s.datagrams());
                    case TunnelResult.Drop d -> {
                        // counted by the device
                    }
                }
            }
            engine.count(EngineStats.Counter.TRANSPORT_RECEIVED, done);
            if (w == 0) {
                return false;
            }
            packets.setCount(w);
            try {
                int accepted = engine.tun.write(packets);
                engine.count(EngineStats.Counter.TUN_PACKETS_WRITTEN, accepted);
                engine.count(EngineStats.Counter.TUN_WRITE_DROPS, w - accepted);
                return accepted > 0;
            } catch (TunClosedException e) {
                engine.count(EngineStats.Counter.TUN_WRITE_DROPS, w);
            } catch (IOException e) {
                engine.count(EngineStats.Counter.TUN_WRITE_DROPS, w);
                engine.internalError("TUN write", e);
            }
            return false;
        }

        void abandon() {
            Arrays.fill(transport, false);
        }

        void reset() {
            Arrays.fill(openings, null);
            Arrays.fill(transport, false);
            datagrams.clear();
        }
    }
}
