package io.wirefx.platform.windows;

import io.wirefx.core.net.IpPrefix;
import io.wirefx.core.net.IpLiterals;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * IP Helper in memory: per-LUID addresses (Tentative for a configurable number of polls), routes, interface
 * settings, DNS; default routes of other interfaces; route-change subscribers; errors to inject per call.
 */
final class FakeNetworkApi implements NetworkApi {

    final List<String> calls = new ArrayList<>();
    final Map<Long, Set<String>> addresses = new HashMap<>();
    final Map<Long, Set<String>> routes = new HashMap<>();
    final Map<Long, Map<Family, NetOp.SetInterface>> interfaces = new HashMap<>();
    final Map<Long, Map<Family, String>> dns = new HashMap<>();
    final Map<String, Integer> tentativePolls = new HashMap<>();
    final Map<String, DadState> finalState = new HashMap<>();
    final Map<Family, List<DefaultRoute>> defaultRoutes = new LinkedHashMap<>();
    final List<Runnable> routeSubscribers = new ArrayList<>();
    /** A call (prefix of its log line) that fails with the given code. */
    final Map<String, Integer> failing = new HashMap<>();

    private void call(String line) throws WindowsException {
        calls.add(line);
        for (Map.Entry<String, Integer> f : failing.entrySet()) {
            if (line.startsWith(f.getKey())) {
                throw new WindowsException(line, f.getValue());
            }
        }
    }

    private static String t(IpPrefix n) {
        return NetOp.text(n);
    }

    final Map<String, Long> aliases = new HashMap<>();

    @Override
    public synchronized long luidOf(String alias) throws WindowsException {
        Long luid = aliases.get(alias);
        if (luid == null) {
            throw new WindowsException("ConvertInterfaceAliasToLuid", WindowsException.ERROR_FILE_NOT_FOUND);
        }
        return luid;
    }

    @Override
    public synchronized void setInterface(long luid, NetOp.SetInterface s) throws WindowsException {
        call("setInterface " + s.encode());
        interfaces.computeIfAbsent(luid, k -> new HashMap<>()).put(s.family(), s);
    }

    @Override
    public synchronized void addAddress(long luid, IpPrefix address) throws WindowsException {
        call("addAddress " + t(address));
        if (!addresses.computeIfAbsent(luid, k -> new LinkedHashSet<>()).add(t(address))) {
            throw new WindowsException("CreateUnicastIpAddressEntry", WindowsException.ERROR_OBJECT_ALREADY_EXISTS);
        }
    }

    @Override
    public synchronized DadState addressState(long luid, InetAddress address) throws WindowsException {
        String a = IpLiterals.format(address);
        call("addressState " + a);
        int left = tentativePolls.getOrDefault(a, 0);
        if (left > 0) {
            tentativePolls.put(a, left - 1);
            return DadState.TENTATIVE;
        }
        return finalState.getOrDefault(a, DadState.PREFERRED);
    }

    @Override
    public synchronized void deleteAddress(long luid, IpPrefix address) throws WindowsException {
        call("deleteAddress " + t(address));
        if (!addresses.getOrDefault(luid, new LinkedHashSet<>()).remove(t(address))) {
            throw new WindowsException("DeleteUnicastIpAddressEntry", WindowsException.ERROR_NOT_FOUND);
        }
    }

    @Override
    public synchronized void addRoute(long luid, IpPrefix destination, int metric) throws WindowsException {
        call("addRoute " + t(destination) + " " + metric);
        routes.computeIfAbsent(luid, k -> new LinkedHashSet<>()).add(t(destination));
    }

    @Override
    public synchronized void deleteRoute(long luid, IpPrefix destination) throws WindowsException {
        call("deleteRoute " + t(destination));
        if (!routes.getOrDefault(luid, new LinkedHashSet<>()).remove(t(destination))) {
            throw new WindowsException("DeleteIpForwardEntry2", WindowsException.ERROR_NOT_FOUND);
        }
    }

    @Override
    public synchronized void setDns(long luid, Family family, List<InetAddress> servers, List<String> search)
            throws WindowsException {
        String v = servers.stream().map(IpLiterals::format).toList() + " " + search;
        call("setDns " + family + " " + v);
        if (servers.isEmpty() && search.isEmpty()) {
            dns.getOrDefault(luid, new HashMap<>()).remove(family);
        } else {
            dns.computeIfAbsent(luid, k -> new HashMap<>()).put(family, v);
        }
    }

    @Override
    public synchronized List<DefaultRoute> defaultRoutes(Family family) {
        return List.copyOf(defaultRoutes.getOrDefault(family, List.of()));
    }

    @Override
    public synchronized AutoCloseable onRouteChange(Runnable callback) {
        routeSubscribers.add(callback);
        return () -> {
            synchronized (FakeNetworkApi.this) {
                routeSubscribers.remove(callback);
            }
        };
    }

    /** Changes the default routes and notifies subscribers, as a NotifyRouteChange2 callback would. */
    void changeDefaultRoutes(Family f, List<DefaultRoute> now) {
        List<Runnable> subs;
        synchronized (this) {
            defaultRoutes.put(f, List.copyOf(now));
            subs = List.copyOf(routeSubscribers);
        }
        subs.forEach(Runnable::run);
    }

    /** Whether nothing of ours is left on {@code luid}. */
    synchronized boolean clean(long luid) {
        return addresses.getOrDefault(luid, Set.of()).isEmpty() && routes.getOrDefault(luid, Set.of()).isEmpty()
                && dns.getOrDefault(luid, Map.of()).isEmpty();
    }
}
