package io.wirefx.ui.log;

import io.wirefx.ipc.Event;
import io.wirefx.ipc.LogEntry;
import io.wirefx.ui.service.ConnectionState;
import io.wirefx.ui.service.ServiceClient;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The service's log: the recent tail on every (re)connect, then new lines as they come, ordered and de-duplicated
 * by sequence number, capped at {@link #MAX_LINES}. UI thread only.
 */
public final class LogViewModel implements ServiceClient.Listener {
    /** Lines kept in the view. */
    public static final int MAX_LINES = 10_000;
    static final int TAIL_LINES = 2_000;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private final ServiceClient service;
    private final Executor ui;
    private final ZoneId zone;
    private final ObservableList<LogEntry> lines = FXCollections.observableArrayList();
    // One unmodifiable view: a fresh wrapper per call would drop listeners once it is garbage collected.
    private final ObservableList<LogEntry> linesView = FXCollections.unmodifiableObservableList(lines);
    private final BooleanProperty follow = new SimpleBooleanProperty(this, "follow", true);
    private long lastSeq = -1;

    public LogViewModel(ServiceClient service, Executor ui, ZoneId zone) {
        this.service = Objects.requireNonNull(service, "service");
        this.ui = Objects.requireNonNull(ui, "ui");
        this.zone = Objects.requireNonNull(zone, "zone");
        service.addListener(this);
        ui.execute(() -> {
            if (service.connectionState().isConnected()) {
                loadTail();
            }
        });
    }

    @Override
    public void onConnectionChanged(ConnectionState state) {
        if (state.isConnected()) {
            ui.execute(this::loadTail);
        }
    }

    @Override
    public void onEvent(Event event) {
        if (event instanceof Event.LogLine l) {
            ui.execute(() -> append(List.of(l.entry())));
        } else if (event instanceof Event.EventsLost) {
            ui.execute(this::loadTail);
        }
    }

    private void loadTail() {
        service.logTail(TAIL_LINES).thenAcceptAsync(this::merge, ui);
    }

    /** Merges a tail answer with lines that arrived as events meanwhile. */
    void merge(Collection<LogEntry> tail) {
        TreeMap<Long, LogEntry> bySeq = new TreeMap<>();
        lines.forEach(e -> bySeq.put(e.seq(), e));
        tail.forEach(e -> bySeq.put(e.seq(), e));
        List<LogEntry> merged = new ArrayList<>(bySeq.values());
        if (merged.size() > MAX_LINES) {
            merged = merged.subList(merged.size() - MAX_LINES, merged.size());
        }
        lines.setAll(merged);
        lastSeq = merged.isEmpty() ? -1 : merged.getLast().seq();
    }

    void append(List<LogEntry> entries) {
        List<LogEntry> fresh = new ArrayList<>();
        for (LogEntry e : entries) {
            if (e.seq() > lastSeq) {
                fresh.add(e);
                lastSeq = e.seq();
            } else {
                merge(List.of(e)); // out of order (service restarted its numbering, or a late tail): re-sort
                return;
            }
        }
        lines.addAll(fresh);
        int excess = lines.size() - MAX_LINES;
        if (excess > 0) {
            lines.remove(0, excess);
        }
    }

    /** One line as text: {@code 2026-11-25 19:45:05.123  INFO  [wg0] message}. */
    public String format(LogEntry e) {
        String time = TIME.format(Instant.ofEpochMilli(e.epochMillis()).atZone(zone));
        String level = String.format("%-5s", e.level().name());
        return time + "  " + level + "  " + (e.tunnel() == null ? "" : "[" + e.tunnel() + "] ") + e.message();
    }

    /** The given lines as text, one per line (for copy and save). */
    public String asText(Collection<LogEntry> entries) {
        StringBuilder sb = new StringBuilder();
        entries.forEach(e -> sb.append(format(e)).append('\n'));
        return sb.toString();
    }

    public ObservableList<LogEntry> lines() {
        return linesView;
    }

    /** Scroll to new lines as they arrive. */
    public BooleanProperty followProperty() {
        return follow;
    }
}
