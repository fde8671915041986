package io.wirefx.ui.tunnels;

import io.wirefx.ipc.PeerDetails;
import io.wirefx.ipc.PeerStats;
import io.wirefx.ui.format.Formats;
import java.util.ResourceBundle;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/** One peer in the detail pane: its configuration and live counters, as display strings. UI thread only. */
public final class PeerViewModel {
    private final PeerDetails details;
    private final Formats formats;
    private final ReadOnlyStringWrapper handshake = new ReadOnlyStringWrapper(this, "handshake", "");
    private final ReadOnlyStringWrapper received = new ReadOnlyStringWrapper(this, "received", "");
    private final ReadOnlyStringWrapper sent = new ReadOnlyStringWrapper(this, "sent", "");
    private long lastHandshakeEpochMillis;
    private long rxBytes;
    private long txBytes;
    private boolean hasStats;

    PeerViewModel(PeerDetails details, Formats formats) {
        this.details = details;
        this.formats = formats;
    }

    public String publicKey() {
        return details.publicKey();
    }

    /** The configured endpoint, or empty when the peer has none (it roams to us). */
    public String endpoint() {
        return details.endpoint() == null ? "" : details.endpoint();
    }

    public String allowedIps() {
        return String.join(", ", details.allowedIps());
    }

    public boolean hasPresharedKey() {
        return details.hasPresharedKey();
    }

    /** Keepalive interval as text ({@code every 25 seconds}), or empty when off. */
    public String persistentKeepalive(ResourceBundle bundle) {
        Integer k = details.persistentKeepalive();
        return k == null || k == 0 ? "" : String.format(bundle.getString("detail.keepaliveEvery"), k);
    }

    void applyStats(PeerStats stats, long nowEpochMillis) {
        hasStats = true;
        lastHandshakeEpochMillis = stats.lastHandshakeEpochMillis();
        rxBytes = stats.rxBytes();
        txBytes = stats.txBytes();
        received.set(formats.bytes(rxBytes));
        sent.set(formats.bytes(txBytes));
        tick(nowEpochMillis);
    }

    void copyStats(PeerViewModel other, long nowEpochMillis) {
        applyStats(new PeerStats(publicKey(), other.rxBytes, other.txBytes, other.lastHandshakeEpochMillis),
                nowEpochMillis);
    }

    void clearStats() {
        hasStats = false;
        handshake.set("");
        received.set("");
        sent.set("");
    }

    void tick(long nowEpochMillis) {
        if (hasStats) {
            handshake.set(formats.ago(lastHandshakeEpochMillis, nowEpochMillis));
        }
    }

    public boolean hasStats() {
        return hasStats;
    }

    public long rxBytes() {
        return rxBytes;
    }

    public long txBytes() {
        return txBytes;
    }

    /** Latest handshake as "12 seconds ago" (empty while the tunnel is not running). */
    public ReadOnlyStringProperty handshakeProperty() {
        return handshake.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty receivedProperty() {
        return received.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty sentProperty() {
        return sent.getReadOnlyProperty();
    }
}
