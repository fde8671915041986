package io.wirefx.platform.windows;

import io.wirefx.core.net.IpPrefix;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Brings a tunnel adapter's IP configuration up and down through {@link NetworkApi}: the {@link NetworkPlanner}'s
 * operations, each journaled before it is performed. A failure part-way undoes what was done. Down undoes in reverse
 * order (addresses and routes deleted, DNS cleared; interface settings go with the adapter), tolerating what is gone.
 * {@link #cleanUpStale} does the same for the journals a killed run left behind, needing only the journal.
 *
 * <p>Addresses: the interface gets {@code DadTransmits = 0} first and each address is created Preferred; the
 * configurator still waits until Windows reports it Preferred (up to {@link #DAD_TIMEOUT}), because a socket bound
 * to a tentative address fails, and fails on a duplicate.
 */
public final class WindowsNetworkConfigurator {

    /** Longest wait for an address to become Preferred. */
    static final Duration DAD_TIMEOUT = Duration.ofSeconds(5);
    static final long DAD_POLL_MILLIS = 20;
    static final String JOURNAL_SUFFIX = ".netjournal";

    private final NetworkApi api;
    private final Path stateDir;
    private final Consumer<String> log;

    public WindowsNetworkConfigurator(NetworkApi api, Path stateDir, Consumer<String> log) {
        this.api = Objects.requireNonNull(api, "api");
        this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
        this.log = Objects.requireNonNull(log, "log");
    }

    /** The configuration applied to one adapter; {@link #down()} takes it back. */
    public final class Applied {
        private final NetJournal journal;
        private boolean down;

        private Applied(NetJournal journal) {
            this.journal = journal;
        }

        /** The operations performed, in order. */
        public List<NetOp> operations() {
            return journal.ops();
        }

        /** Undoes everything; returns the problems met (empty when all went). Idempotent. */
        public synchronized List<String> down() {
            if (down) {
                return List.of();
            }
            down = true;
            return undo(journal);
        }
    }

    /** Applies {@code spec} to the adapter {@code luid}. */
    public Applied up(WindowsTunnelSpec spec, long luid) throws IOException {
        Path file = journalFile(spec.tunnelName());
        if (Files.exists(file)) {
            undo(NetJournal.load(file)); // a previous run of this tunnel died: take its changes back first
        }
        NetJournal journal = NetJournal.create(file, luid);
        try {
            for (NetOp op : NetworkPlanner.operations(spec)) {
                journal.record(op);
                perform(luid, op);
            }
        } catch (IOException | RuntimeException e) {
            List<String> problems = undo(journal);
            problems.forEach(p -> log.accept("undo after failed up: " + p));
            throw e;
        }
        return new Applied(journal);
    }

    private void perform(long luid, NetOp op) throws IOException {
        switch (op) {
            case NetOp.SetInterface s -> api.setInterface(luid, s);
            case NetOp.AddAddress a -> {
                try {
                    api.addAddress(luid, a.address());
                } catch (WindowsException e) {
                    if (e.code() != WindowsException.ERROR_OBJECT_ALREADY_EXISTS) {
                        throw e;
                    }
                    log.accept("address " + NetOp.text(a.address()) + " was already on the adapter");
                }
                awaitPreferred(luid, a.address());
            }
            case NetOp.AddRoute r -> {
                try {
                    api.addRoute(luid, r.destination(), r.metric());
                } catch (WindowsException e) {
                    if (e.code() != WindowsException.ERROR_OBJECT_ALREADY_EXISTS) {
                        throw e;
                    }
                }
            }
            case NetOp.SetDns d -> api.setDns(luid, d.family(), d.servers(), d.searchDomains());
        }
    }

    private void awaitPreferred(long luid, IpPrefix address) throws IOException {
        long deadline = System.nanoTime() + DAD_TIMEOUT.toNanos();
        while (true) {
            NetworkApi.DadState state = api.addressState(luid, address.address());
            switch (state) {
                case PREFERRED -> {
                    return;
                }
                case DUPLICATE -> throw new IOException("address " + NetOp.text(address)
                        + " is a duplicate on the network (DadState Duplicate)");
                default -> {
                    if (System.nanoTime() - deadline > 0) {
                        throw new IOException("address " + NetOp.text(address) + " still " + state + " after "
                                + DAD_TIMEOUT.toSeconds() + " s");
                    }
                }
            }
            try {
                Thread.sleep(DAD_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for " + NetOp.text(address), e);
            }
        }
    }

    private List<String> undo(NetJournal journal) {
        List<String> problems = new ArrayList<>();
        long luid = journal.luid();
        List<NetOp> ops = journal.ops();
        for (int i = ops.size() - 1; i >= 0; i--) {
            NetOp op = ops.get(i);
            try {
                switch (op) {
                    case NetOp.SetInterface s -> {
                        // goes with the adapter
                    }
                    case NetOp.AddAddress a -> api.deleteAddress(luid, a.address());
                    case NetOp.AddRoute r -> api.deleteRoute(luid, r.destination());
                    case NetOp.SetDns d -> api.setDns(luid, d.family(), List.of(), List.of());
                }
            } catch (WindowsException e) {
                if (!e.isNotFound()) {
                    problems.add(op.encode() + ": " + e.getMessage());
                }
            }
        }
        try {
            journal.delete();
        } catch (IOException e) {
            problems.add("cannot delete " + journal.file() + ": " + e.getMessage());
        }
        return problems;
    }

    /** Undoes the journals of runs that ended without {@code down} (the service was killed). */
    public List<String> cleanUpStale() {
        List<String> done = new ArrayList<>();
        if (!Files.isDirectory(stateDir)) {
            return done;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(stateDir, "*" + JOURNAL_SUFFIX)) {
            for (Path f : files) {
                try {
                    NetJournal j = NetJournal.load(f);
                    List<String> problems = undo(j);
                    problems.forEach(p -> log.accept("stale " + f.getFileName() + ": " + p));
                    done.add(f.getFileName().toString());
                } catch (IOException e) {
                    log.accept("cannot undo " + f + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            log.accept("cannot list " + stateDir + ": " + e.getMessage());
        }
        return done;
    }

    Path journalFile(String tunnelName) {
        return stateDir.resolve(tunnelName + JOURNAL_SUFFIX);
    }
}
