package io.wirefx.platform.windows;

import io.wirefx.tun.windows.Guid;

import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Installs a {@link KillSwitchRules} filter set in a <em>dynamic</em> WFP session, in one transaction, under a provider
 * and a sublayer of weight {@code 0xFFFF} with fresh random GUIDs. Everything added through a dynamic session is
 * deleted by Windows when the session ends: at {@link #close()} (tunnel down), and also when the service process dies
 * (the session's RPC handle goes with it). So the filters never outlive the service: a crash leaves the machine
 * unblocked rather than cut off, the same trade-off wireguard-windows makes.
 */
public final class KillSwitch implements AutoCloseable {

    /** Sublayer weight: above other vendors' default sublayers. */
    static final int SUBLAYER_WEIGHT = 0xFFFF;

    private final WfpApi wfp;
    private final long engine;
    private final List<WfpFilter> filters;
    private boolean closed;

    private KillSwitch(WfpApi wfp, long engine, List<WfpFilter> filters) {
        this.wfp = wfp;
        this.engine = engine;
        this.filters = filters;
    }

    /** Opens the session and adds every filter of {@code rules}; on any failure nothing stays installed. */
    public static KillSwitch install(WfpApi wfp, String tunnelName, List<WfpFilter> rules, Consumer<String> log)
            throws WindowsException {
        long engine = wfp.openDynamicSession("WireFX kill switch " + tunnelName);
        boolean ok = false;
        try {
            Guid provider = new Guid(UUID.randomUUID());
            Guid sublayer = new Guid(UUID.randomUUID());
            wfp.begin(engine);
            try {
                wfp.addProvider(engine, provider, "WireFX " + tunnelName);
                wfp.addSublayer(engine, sublayer, provider, "WireFX " + tunnelName, SUBLAYER_WEIGHT);
                for (WfpFilter f : rules) {
                    wfp.addFilter(engine, provider, sublayer, f);
                }
                wfp.commit(engine);
            } catch (WindowsException | RuntimeException e) {
                try {
                    wfp.abort(engine);
                } catch (WindowsException abort) {
                    e.addSuppressed(abort);
                }
                throw e;
            }
            ok = true;
            log.accept("kill switch on for " + tunnelName + ": " + rules.size() + " filters");
            return new KillSwitch(wfp, engine, List.copyOf(rules));
        } finally {
            if (!ok) {
                wfp.close(engine);
            }
        }
    }

    /** The filters installed. */
    public List<WfpFilter> filters() {
        return filters;
    }

    /** Ends the dynamic session: Windows deletes all its filters. Idempotent. */
    @Override
    public synchronized void close() throws WindowsException {
        if (!closed) {
            closed = true;
            wfp.close(engine);
        }
    }
}
