package io.wirefx.platform.windows;

import io.wirefx.core.net.IpLiterals;
import io.wirefx.tun.windows.Guid;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * WFP in memory: dynamic sessions whose objects vanish when the session closes, transactions that commit or abort,
 * and a classifier that decides a flow as WFP's arbitration does within one sublayer (the matching filter of highest
 * weight wins; no match permits).
 */
final class FakeWfp implements WfpApi {

    final List<String> calls = new ArrayList<>();
    final Map<Long, List<WfpFilter>> committed = new HashMap<>();
    private final Map<Long, List<WfpFilter>> pending = new HashMap<>();
    private long nextEngine = 1;
    int failOnFilter = -1;
    private int filtersAdded;

    /** A connection attempt or an accepted inbound flow. */
    record Flow(WfpFilter.Layer layer, long luid, boolean loopback, int protocol, String local, int localPort,
                String remote, int remotePort, String executable, Set<String> sids) {
    }

    @Override
    public long openDynamicSession(String displayName) {
        calls.add("open dynamic " + displayName);
        long e = nextEngine++;
        committed.put(e, new ArrayList<>());
        return e;
    }

    @Override
    public void begin(long engine) {
        calls.add("begin");
        pending.put(engine, new ArrayList<>());
    }

    @Override
    public void commit(long engine) {
        calls.add("commit");
        committed.get(engine).addAll(pending.remove(engine));
    }

    @Override
    public void abort(long engine) {
        calls.add("abort");
        pending.remove(engine);
    }

    @Override
    public void addProvider(long engine, Guid key, String displayName) {
        calls.add("provider");
    }

    @Override
    public void addSublayer(long engine, Guid key, Guid provider, String displayName, int weight) {
        calls.add("sublayer " + Integer.toHexString(weight));
    }

    @Override
    public long addFilter(long engine, Guid provider, Guid sublayer, WfpFilter filter) throws WindowsException {
        if (filtersAdded++ == failOnFilter) {
            throw new WindowsException("FwpmFilterAdd0", 0x80320009);
        }
        pending.get(engine).add(filter);
        return filtersAdded;
    }

    @Override
    public void close(long engine) {
        calls.add("close");
        committed.remove(engine); // dynamic session: its objects go with it
    }

    List<WfpFilter> active() {
        return committed.values().stream().flatMap(List::stream).toList();
    }

    /** PERMIT or BLOCK for {@code flow} under the active filters. */
    WfpFilter.Action decide(Flow flow) {
        return active().stream().filter(f -> f.layer() == flow.layer()).filter(f -> matches(f, flow))
                .max(Comparator.comparingInt(WfpFilter::weight)).map(WfpFilter::action)
                .orElse(WfpFilter.Action.PERMIT);
    }

    private static boolean matches(WfpFilter f, Flow flow) {
        Map<WfpFilter.Field, List<WfpFilter.Condition>> byField = f.conditions().stream()
                .collect(Collectors.groupingBy(WfpFilter.Condition::field));
        return byField.values().stream().allMatch(any -> any.stream().anyMatch(c -> holds(c, flow)));
    }

    private static boolean holds(WfpFilter.Condition c, Flow flow) {
        InetAddress remote = IpLiterals.parse(flow.remote());
        InetAddress local = IpLiterals.parse(flow.local());
        return switch (c) {
            case WfpFilter.LocalInterface li -> li.luid() == flow.luid();
            case WfpFilter.RemoteAddress ra -> ra.network().contains(remote);
            case WfpFilter.LocalAddress la -> la.network().contains(local);
            case WfpFilter.Protocol p -> p.number() == flow.protocol();
            case WfpFilter.LocalPort lp -> lp.port() == flow.localPort();
            case WfpFilter.RemotePort rp -> rp.port() == flow.remotePort();
            case WfpFilter.Loopback l -> flow.loopback();
            case WfpFilter.AppId a -> a.executable().equalsIgnoreCase(flow.executable());
            case WfpFilter.UserSid s -> flow.sids().contains(s.sid());
        };
    }
}
