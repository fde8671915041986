package io.wirefx.platform.linux;

import io.wirefx.core.config.Config;
import io.wirefx.core.config.Interface;
import io.wirefx.core.config.PeerConfig;
import io.wirefx.core.config.Table;
import io.wirefx.core.net.IpLiterals;
import io.wirefx.core.net.IpPrefix;
import io.wirefx.platform.CommandRunner;
import io.wirefx.platform.NetconfigException;
import io.wirefx.platform.TunnelControl;
import io.wirefx.platform.TunnelNetwork;
import io.wirefx.platform.AtomicFiles;
import io.wirefx.platform.linux.JournalEntry.DnsMethod;
import io.wirefx.platform.linux.JournalEntry.RuleKind;
import io.wirefx.platform.NetconfigException.Kind;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Brings the Linux network configuration of one WireGuard interface up and down the way {@code wg-quick} does
 * (reference §8): addresses, MTU, link up, DNS, routes for the allowed IPs (longest prefix first), the full-tunnel
 * policy routing with a fwmark table, an nftables table, and the Pre/Post hooks. Creating the interface itself (the
 * TUN device) and configuring the WireGuard device are the caller's job.
 *
 * <p>All host changes go through a {@link CommandRunner} ({@code ip}, {@code nft}, {@code sysctl},
 * {@code resolvconf}/{@code resolvectl}, {@code bash}), and each is written to a {@link Journal} before it is made.
 * {@link #down()} (and a failed {@link #up}) undo exactly what the journal lists; a journal left behind by a process
 * that was killed is found and undone by the next {@link #prepare()} for the same interface.
 *
 * <p>Life cycle, one instance per run: {@link #prepare()} → {@link #recordInterfaceCreation()} (then the caller
 * creates the interface) → {@link #up(TunnelControl)} → {@link #down()} → {@link #close()}.
 *
 * <p>Differences from wg-quick: PreUp runs after the interface exists (reference §8 order; the wg-quick script runs
 * it just before creating it); the nft table is called {@code wirefx-IF}; only nftables is supported for the
 * firewall part (no iptables fallback); teardown deletes only the rules this run added (wg-quick deletes every rule
 * looking up its table and every {@code suppress_prefixlength 0} rule); a failing PreDown/PostDown hook is reported
 * but does not stop the teardown; SaveConfig writes the addresses and DNS from the file rather than from the
 * interface; the automatic MTU takes the smallest endpoint path MTU (see {@link AutoMtu}).
 */
public final class LinuxNetworkConfigurator implements TunnelNetwork {
    /** The first fwmark/table number tried for a full tunnel. */
    public static final long FIRST_FWMARK_TABLE = 51820;
    /** Name prefix of the nftables tables (wg-quick uses {@code wg-quick-}). */
    public static final String NFT_TABLE_PREFIX = "wirefx-";

    private static final Pattern RULE_LINE = Pattern.compile("^(\\d+):\\s+(.*?)\\s*$");
    private static final Pattern ADDR_LINE = Pattern.compile("\\sinet6?\\s+([0-9a-fA-F:.]+)/\\d+");
    private static final Pattern ORDER_PREFIX = Pattern.compile("^([A-Za-z0-9-]+)\\*$");

    private enum State { NEW, PREPARED, UP, DOWN, CLOSED }

    private final String iface;
    private final Config config;
    private final CommandRunner runner;
    private final NetconfigOptions options;
    private State state = State.NEW;
    private InterfaceLock lock;
    private Journal journal;
    private String netns;
    private DnsMethod dnsMethod;
    private TunnelControl tunnel;
    private Long fwmark; // the table/fwmark of a full tunnel, once known
    private int mtu;

    /**
     * @param iface  the interface name (validated: {@code [a-zA-Z0-9_=+.-]{1,15}})
     * @param config the parsed configuration
     */
    public LinuxNetworkConfigurator(String iface, Config config, CommandRunner runner, NetconfigOptions options) {
        this.iface = Config.validateInterfaceName(iface);
        this.config = Objects.requireNonNull(config, "config");
        this.runner = Objects.requireNonNull(runner, "runner");
        this.options = Objects.requireNonNull(options, "options");
    }

    /** Cleanup only: see {@link #undoStale}. */
    private LinuxNetworkConfigurator(String iface, CommandRunner runner, NetconfigOptions options) {
        this.iface = Config.validateInterfaceName(iface);
        this.config = null;
        this.runner = Objects.requireNonNull(runner, "runner");
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * Undoes what the journal of {@code iface} in the state directory lists (a run that was killed), under the
     * interface's lock, without a configuration. Nothing happens if there is no journal.
     *
     * @throws NetconfigException PRECONDITION if another process holds the interface or the cleanup failed
     */
    static void undoStale(String iface, CommandRunner runner, NetconfigOptions options) throws NetconfigException {
        LinuxNetworkConfigurator c = new LinuxNetworkConfigurator(iface, runner, options);
        c.acquireLock();
        try {
            c.netns = c.currentNetns();
            c.cleanUpStaleJournal();
        } finally {
            c.releaseLock();
            c.state = State.CLOSED;
        }
    }

    private String currentNetns() throws NetconfigException {
        String ns = query(List.of("readlink", "/proc/self/ns/net")).strip();
        if (ns.isEmpty()) {
            throw new NetconfigException(Kind.PRECONDITION, "cannot identify the network namespace");
        }
        return ns;
    }

    public String interfaceName() {
        return iface;
    }

    /** The journal file of this interface. */
    public Path journalFile() {
        return options.stateDir().resolve(iface + Journal.SUFFIX);
    }

    private Path lockFile() {
        return options.stateDir().resolve(iface + ".lock");
    }

    /** The fwmark/table of the full tunnel, once {@link #up} has set it up (or the configured FwMark). */
    public synchronized OptionalLong fwmark() {
        return fwmark == null ? OptionalLong.empty() : OptionalLong.of(fwmark);
    }

    /** The MTU set by {@link #up}, or empty before. */
    public synchronized OptionalInt mtu() {
        return mtu == 0 ? OptionalInt.empty() : OptionalInt.of(mtu);
    }

    // ------------------------------------------------------------------ prepare

    /**
     * Checks the preconditions and starts the journal. Changes nothing on the host, except undoing what a stale
     * journal (left by a killed run of the same interface) lists.
     *
     * @throws NetconfigException PRECONDITION if another run holds the interface, the interface exists, a needed
     *                            tool is missing or a stale journal cannot be cleaned up; JOURNAL on file errors
     */
    @Override
    public synchronized void prepare() throws NetconfigException {
        requireState(State.NEW);
        acquireLock();
        boolean ok = false;
        try {
            netns = currentNetns();
            checkTools();
            cleanUpStaleJournal();
            if (linkExists()) {
                throw new NetconfigException(Kind.PRECONDITION, "`" + iface + "' already exists");
            }
            try {
                journal = Journal.create(journalFile(), new Journal.Header(options.pid(), netns, iface));
            } catch (IOException e) {
                throw new NetconfigException(Kind.JOURNAL, "cannot create " + journalFile() + ": " + e.getMessage(),
                        e);
            }
            state = State.PREPARED;
            ok = true;
        } finally {
            if (!ok) {
                releaseLock();
            }
        }
    }

    private void acquireLock() throws NetconfigException {
        try {
            lock = InterfaceLock.tryAcquire(lockFile()).orElseThrow(() -> new NetconfigException(Kind.PRECONDITION,
                    "another wirefx process is running `" + iface + "' (" + lockFile() + " is locked)"));
        } catch (IOException e) {
            throw new NetconfigException(Kind.JOURNAL, "cannot lock " + lockFile() + ": " + e.getMessage(), e);
        }
    }

    private void releaseLock() {
        if (lock != null) {
            lock.close();
        }
        lock = null;
    }

    private void cleanUpStaleJournal() throws NetconfigException {
        Path file = journalFile();
        if (!Files.exists(file)) {
            return;
        }
        Journal stale;
        try {
            stale = Journal.load(file);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new NetconfigException(Kind.PRECONDITION, "stale state file cannot be read: " + e.getMessage()
                    + "; check what it lists and remove it by hand", e);
        }
        if (!stale.header().netns().equals(netns)) {
            throw new NetconfigException(Kind.PRECONDITION, "stale state file " + file
                    + " belongs to another network namespace (" + stale.header().netns() + ", here " + netns
                    + "); remove it if that namespace is gone");
        }
        if (!stale.header().iface().equals(iface)) {
            throw new NetconfigException(Kind.PRECONDITION, "state file " + file + " names interface "
                    + stale.header().iface() + "; remove it by hand");
        }
        log("[!] " + iface + " was not shut down cleanly (pid " + stale.header().pid()
                + "); undoing what " + file + " lists");
        List<String> problems = undoAll(stale);
        if (problems.isEmpty()) {
            try {
                stale.delete();
            } catch (IOException e) {
                problems.add("cannot delete " + file + ": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new NetconfigException(Kind.PRECONDITION, "could not clean up after the previous run: "
                    + String.join("; ", problems));
        }
    }

    private void checkTools() throws NetconfigException {
        List<String> missing = new ArrayList<>();
        if (!runner.hasProgram("ip")) {
            missing.add("ip (iproute2)");
        }
        Interface i = config.iface();
        if (i.table() == Table.AUTO) {
            boolean v4 = false;
            boolean v6 = false;
            for (IpPrefix n : routedPrefixes()) {
                if (n.length() == 0) {
                    v4 |= n.isIpv4();
                    v6 |= n.isIpv6();
                }
            }
            if ((v4 || v6 || options.policy().blockUntunneled()) && !runner.hasProgram("nft")) {
                missing.add("nft (nftables, needed for a full tunnel)");
            }
            if (v4 && !runner.hasProgram("sysctl")) {
                missing.add("sysctl (procps, needed for an IPv4 full tunnel)");
            }
        }
        if (!i.dnsServers().isEmpty()) {
            if (runner.hasProgram("resolvconf")) {
                dnsMethod = DnsMethod.RESOLVCONF;
            } else if (runner.hasProgram("resolvectl")) {
                dnsMethod = DnsMethod.RESOLVECTL;
            } else {
                missing.add("resolvconf or resolvectl (the configuration sets DNS)");
            }
        }
        boolean hooks = !(i.preUp().isEmpty() && i.postUp().isEmpty() && i.preDown().isEmpty()
                && i.postDown().isEmpty());
        if (hooks && !runner.hasProgram("bash")) {
            missing.add("bash (the configuration has Pre/Post hooks)");
        }
        if (!missing.isEmpty()) {
            throw new NetconfigException(Kind.PRECONDITION, "missing program(s): " + String.join(", ", missing));
        }
    }

    // ------------------------------------------------------------------ up

    /**
     * Records the interface the driver created, so that teardown (and the cleanup after a crash) deletes it. Call
     * after {@link #prepare()}, once the interface exists.
     */
    @Override
    public synchronized void interfaceOpened(String name) throws NetconfigException {
        requireState(State.PREPARED);
        if (!name.equals(iface)) {
            throw new NetconfigException(Kind.SETUP_FAILED, "the kernel named the interface " + name + ", not "
                    + iface);
        }
        record(new JournalEntry.Link(iface));
    }

    @Override
    public String journalLocation() {
        return journalFile().toString();
    }

    @Override
    public synchronized String upNote() {
        return fwmark == null ? "" : "fwmark " + fwmark;
    }

    /**
     * wg-quick's {@code up} steps 3–9: PreUp, addresses, MTU and link up, DNS, routes (with the full-tunnel rules,
     * fwmark and nftables table), PostUp. The interface must exist and the tunnel must already carry the
     * configuration. On failure everything recorded is undone (the interface too, if recorded; no Down hooks run,
     * as in wg-quick) and the journal is removed.
     *
     * @throws NetconfigException SETUP_FAILED (with the failing command and its error output) or JOURNAL
     */
    @Override
    public synchronized void up(TunnelControl control) throws NetconfigException {
        requireState(State.PREPARED);
        this.tunnel = Objects.requireNonNull(control, "control");
        try {
            Interface i = config.iface();
            runHooks(i.preUp(), true);
            for (IpPrefix a : i.addresses()) {
                addAddress(a);
            }
            setMtuUp();
            setDns();
            for (IpPrefix p : routedPrefixes()) {
                addRoute(p);
            }
            if (options.policy().blockUntunneled()) {
                addKillSwitch();
            }
            runHooks(i.postUp(), true);
            state = State.UP;
        } catch (NetconfigException | RuntimeException e) {
            List<String> problems = undoAll(journal);
            deleteJournalIfEmpty(problems);
            state = State.DOWN;
            releaseLock();
            if (!problems.isEmpty()) {
                log("[!] rollback incomplete: " + String.join("; ", problems));
            }
            if (e instanceof NetconfigException ne) {
                throw ne;
            }
            throw new NetconfigException(Kind.SETUP_FAILED, "unexpected error: " + e, e);
        }
    }

    private void addAddress(IpPrefix a) throws NetconfigException {
        String cidr = a.toString();
        record(new JournalEntry.Address(iface, cidr));
        exec(List.of("ip", fam(a), "address", "add", cidr, "dev", iface), null);
    }

    private void setMtuUp() throws NetconfigException {
        OptionalInt configured = config.iface().mtu();
        int m;
        if (configured.isPresent()) {
            m = configured.getAsInt();
        } else {
            try {
                m = AutoMtu.compute(runner, tunnel.endpointAddresses());
            } catch (IOException e) {
                throw new NetconfigException(Kind.SETUP_FAILED, "cannot compute the MTU: " + e.getMessage(), e);
            }
        }
        mtu = m;
        exec(List.of("ip", "link", "set", "mtu", Integer.toString(m), "up", "dev", iface), null);
    }

    private void setDns() throws NetconfigException {
        Interface i = config.iface();
        if (i.dnsServers().isEmpty()) {
            return; // as wg-quick: search domains alone are not applied
        }
        List<String> servers = i.dnsServers().stream().map(IpLiterals::format).toList();
        if (dnsMethod == DnsMethod.RESOLVECTL) {
            record(new JournalEntry.Dns(DnsMethod.RESOLVECTL, iface));
            List<String> dns = new ArrayList<>(List.of("resolvectl", "dns", iface));
            dns.addAll(servers);
            exec(dns, null);
            // "~." is what systemd's resolvconf shim does for wg-quick's -x (exclusive): all lookups go here.
            List<String> domain = new ArrayList<>(List.of("resolvectl", "domain", iface));
            domain.addAll(i.dnsSearchDomains());
            domain.add("~.");
            exec(domain, null);
            return;
        }
        String name = resolvconfPrefix() + iface;
        StringBuilder input = new StringBuilder();
        for (String s : servers) {
            input.append("nameserver ").append(s).append('\n');
        }
        if (!i.dnsSearchDomains().isEmpty()) {
            input.append("search ").append(String.join(" ", i.dnsSearchDomains())).append('\n');
        }
        record(new JournalEntry.Dns(DnsMethod.RESOLVCONF, name));
        exec(List.of("resolvconf", "-a", name, "-m", "0", "-x"), input.toString());
    }

    /** The first {@code NAME*} line of resolvconf's interface-order file gives the prefix {@code NAME.}. */
    String resolvconfPrefix() {
        Path order = options.resolvconfOrder();
        if (!Files.isRegularFile(order)) {
            return "";
        }
        try {
            for (String line : Files.readAllLines(order, StandardCharsets.UTF_8)) {
                Matcher m = ORDER_PREFIX.matcher(line);
                if (m.matches()) {
                    return m.group(1) + ".";
                }
            }
        } catch (IOException e) {
            log("[!] cannot read " + order + ": " + e.getMessage());
        }
        return "";
    }

    /**
     * The allowed IPs of all peers, masked, without duplicates, longest prefix first (stable within a length), as
     * wg-quick reads them back from {@code wg show IF allowed-ips | sort -nr -k 2 -t /}.
     */
    List<IpPrefix> routedPrefixes() {
        Set<IpPrefix> all = new LinkedHashSet<>();
        for (PeerConfig p : config.peers()) {
            for (IpPrefix n : p.allowedIps()) {
                all.add(n.masked());
            }
        }
        List<IpPrefix> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparingInt(IpPrefix::length).reversed());
        return sorted;
    }

    private void addRoute(IpPrefix p) throws NetconfigException {
        Table table = config.iface().table();
        String prefix = p.toString();
        if (table == Table.OFF) {
            return;
        }
        if (table != Table.AUTO) {
            record(new JournalEntry.Route(iface, prefix, table.text()));
            exec(List.of("ip", fam(p), "route", "add", prefix, "dev", iface, "table", table.text()), null);
            return;
        }
        if (p.length() == 0) {
            addDefault(p);
            return;
        }
        if (!query(List.of("ip", fam(p), "route", "show", "dev", iface, "match", prefix)).isBlank()) {
            return; // a route on the interface already covers it (e.g. the prefix route of an Address)
        }
        record(new JournalEntry.Route(iface, prefix, null));
        exec(List.of("ip", fam(p), "route", "add", prefix, "dev", iface), null);
    }

    /** wg-quick's add_default: fwmark table, the two rules, the nft table, src_valid_mark. */
    private void addDefault(IpPrefix p) throws NetconfigException {
        if (fwmark == null) {
            OptionalLong configured = config.iface().fwMark();
            if (configured.isPresent()) {
                fwmark = configured.getAsLong(); // the tunnel already marks with it
            } else {
                long t = FIRST_FWMARK_TABLE;
                while (!query(List.of("ip", "-4", "route", "show", "table", Long.toString(t))).isBlank()
                        || !query(List.of("ip", "-6", "route", "show", "table", Long.toString(t))).isBlank()) {
                    t++;
                }
                log("[#] (tunnel) fwmark " + t);
                try {
                    tunnel.setFwmark(t);
                } catch (IOException e) {
                    throw new NetconfigException(Kind.SETUP_FAILED, "cannot set fwmark " + t + " on the tunnel: "
                            + e.getMessage(), e);
                }
                fwmark = t;
            }
        }
        long t = fwmark;
        boolean v6 = p.isIpv6();
        String fam = fam(p);
        String table = Long.toString(t);
        record(new JournalEntry.Route(iface, p.toString(), table));
        exec(List.of("ip", fam, "route", "add", p.toString(), "dev", iface, "table", table), null);
        JournalEntry.Rule notMark = new JournalEntry.Rule(v6, RuleKind.NOT_FWMARK, t);
        record(notMark);
        exec(ruleCommand(notMark, "add", OptionalLong.empty()), null);
        JournalEntry.Rule suppress = new JournalEntry.Rule(v6, RuleKind.SUPPRESS_MAIN, 0);
        record(suppress);
        exec(ruleCommand(suppress, "add", OptionalLong.empty()), null);

        String pf = v6 ? "ip6" : "ip";
        String nftTable = NFT_TABLE_PREFIX + iface;
        StringBuilder nft = new StringBuilder();
        nft.append("add table ").append(pf).append(' ').append(nftTable).append('\n');
        nft.append("add chain ").append(pf).append(' ').append(nftTable)
                .append(" preraw { type filter hook prerouting priority -300; }\n");
        nft.append("add chain ").append(pf).append(' ').append(nftTable)
                .append(" premangle { type filter hook prerouting priority -150; }\n");
        nft.append("add chain ").append(pf).append(' ').append(nftTable)
                .append(" postmangle { type filter hook postrouting priority -150; }\n");
        // Packets for the tunnel's own addresses arriving on another interface are dropped, unless from a local
        // address (raw, before conntrack).
        for (String addr : interfaceAddresses(fam)) {
            nft.append("add rule ").append(pf).append(' ').append(nftTable).append(" preraw iifname != \"")
                    .append(iface).append("\" ").append(pf).append(" daddr ").append(addr)
                    .append(" fib saddr type != local drop\n");
        }
        // The tunnel's UDP mark is saved into conntrack and restored on the replies, so they match the fwmark too.
        nft.append("add rule ").append(pf).append(' ').append(nftTable).append(" postmangle meta l4proto udp mark ")
                .append(t).append(" ct mark set mark\n");
        nft.append("add rule ").append(pf).append(' ').append(nftTable)
                .append(" premangle meta l4proto udp meta mark set ct mark\n");
        if (!v6) {
            exec(List.of("sysctl", "-q", "net.ipv4.conf.all.src_valid_mark=1"), null);
        }
        record(new JournalEntry.NftTable(pf, nftTable));
        exec(List.of("nft", "-f", "-"), nft.toString());
    }

    /**
     * The kill switch ({@link LinuxKillSwitch}) of a full tunnel, after its routes: journaled first, so that a crash
     * leaves it in place (fail closed) until {@link #down()} or the next start's cleanup deletes the table. A tunnel
     * without an allowed IP of {@code /0} gets none (logged).
     */
    private void addKillSwitch() throws NetconfigException {
        if (routedPrefixes().stream().noneMatch(p -> p.length() == 0)) {
            log("[!] block untunneled traffic applies to full tunnels only (an allowed IP of 0.0.0.0/0 or ::/0); "
                    + iface + " routes no default, nothing blocked");
            return;
        }
        List<java.net.InetSocketAddress> endpoints = new ArrayList<>();
        for (PeerConfig p : config.peers()) {
            if (p.endpoint().isEmpty()) {
                continue;
            }
            io.wirefx.core.config.InetEndpoint e = p.endpoint().get();
            try {
                InetAddress a = e.literalAddress().isPresent() ? e.literalAddress().get()
                        : InetAddress.getByName(e.host());
                endpoints.add(new java.net.InetSocketAddress(a, e.port()));
            } catch (java.net.UnknownHostException ex) {
                log("[!] kill switch: cannot resolve endpoint " + e + "; only the tunnel's fwmark lets its packets out");
            }
        }
        LinuxKillSwitch ks = new LinuxKillSwitch(iface, fwmark(), endpoints, options.policy().allowLan());
        if (runQuiet(List.of("nft", "list", "table", "inet", ks.table())).succeeded()) {
            exec(ks.undoCommand(), null); // a table of the same name a lost journal left behind
        }
        record(new JournalEntry.NftTable("inet", ks.table()));
        exec(List.of("nft", "-f", "-"), ks.ruleset());
        log("[#] untunneled traffic blocked" + (ks.allowLan() ? " (local network allowed)" : ""));
    }

    /**
     * The addresses on the interface ({@code ip -o -4|-6 address show dev IF}, as wg-quick reads them), after the
     * configured ones of that family. Those were just added, so a real run reads them back anyway; a dry run, whose
     * interface does not exist, still shows the rules they get.
     */
    private List<String> interfaceAddresses(String fam) throws NetconfigException {
        Set<String> addrs = new LinkedHashSet<>();
        for (IpPrefix a : config.iface().addresses()) {
            if (a.isIpv6() == fam.equals("-6")) {
                addrs.add(IpLiterals.format(a.address()));
            }
        }
        String out = query(List.of("ip", "-o", fam, "address", "show", "dev", iface));
        for (String line : out.lines().toList()) {
            Matcher m = ADDR_LINE.matcher(line);
            if (m.find()) {
                addrs.add(m.group(1));
            }
        }
        return new ArrayList<>(addrs);
    }

    private static List<String> ruleCommand(JournalEntry.Rule r, String verb, OptionalLong pref) {
        List<String> cmd = new ArrayList<>(List.of("ip", r.ipv6() ? "-6" : "-4", "rule", verb));
        pref.ifPresent(p -> cmd.addAll(List.of("pref", Long.toString(p))));
        cmd.addAll(r.selector());
        return cmd;
    }

    // ------------------------------------------------------------------ down

    /**
     * wg-quick's {@code down}: PreDown, SaveConfig, undo everything in the journal (newest first), PostDown; then
     * the journal is deleted (kept if something could not be undone, so the next run retries). Never throws;
     * idempotent.
     *
     * @return the problems met (empty if all went well)
     */
    @Override
    public synchronized List<String> down() {
        if (state != State.UP && state != State.PREPARED) {
            return List.of();
        }
        boolean wasUp = state == State.UP;
        List<String> problems = new ArrayList<>();
        if (wasUp) {
            problems.addAll(runHooksQuietly(config.iface().preDown()));
            if (config.iface().saveConfig()) {
                try {
                    saveConfig();
                } catch (IOException | RuntimeException e) {
                    problems.add("SaveConfig: " + e.getMessage());
                }
            }
        }
        problems.addAll(undoAll(journal));
        deleteJournalIfEmpty(problems);
        if (wasUp) {
            problems.addAll(runHooksQuietly(config.iface().postDown()));
        }
        state = State.DOWN;
        releaseLock();
        for (String p : problems) {
            log("[!] " + p);
        }
        return problems;
    }

    /** Releases the lock; does not undo anything (call {@link #down()} first). */
    @Override
    public synchronized void close() {
        releaseLock();
        state = State.CLOSED;
    }

    private void deleteJournalIfEmpty(List<String> problems) {
        if (journal == null) {
            return;
        }
        if (journal.entries().isEmpty()) {
            try {
                journal.delete();
            } catch (IOException e) {
                problems.add("cannot delete " + journal.file() + ": " + e.getMessage());
            }
        }
    }

    /** Undoes every entry, newest first; forgets the undone ones. Returns the problems. */
    private List<String> undoAll(Journal j) {
        List<String> problems = new ArrayList<>();
        List<JournalEntry> entries = j.entries();
        boolean linkGoes = entries.contains(new JournalEntry.Link(j.header().iface()));
        for (JournalEntry e : entries.reversed()) {
            try {
                if (!(linkGoes && e.goesAwayWithLink(j.header().iface()))) {
                    undo(e);
                }
                j.forget(e);
            } catch (NetconfigException | IOException ex) {
                problems.add("undoing '" + e.encode() + "': " + ex.getMessage());
            }
        }
        return problems;
    }

    private void undo(JournalEntry e) throws NetconfigException {
        switch (e) {
            case JournalEntry.Link l -> {
                if (linkExists(l.iface())) {
                    exec(List.of("ip", "link", "delete", "dev", l.iface()), null);
                }
            }
            case JournalEntry.Address a -> {
                if (linkExists(a.iface())) {
                    execTolerant(List.of("ip", a.ipv6() ? "-6" : "-4", "address", "del", a.cidr(), "dev",
                            a.iface()));
                }
            }
            case JournalEntry.Route r -> {
                if (linkExists(r.iface())) {
                    List<String> cmd = new ArrayList<>(List.of("ip", r.ipv6() ? "-6" : "-4", "route", "del",
                            r.prefix(), "dev", r.iface()));
                    if (r.table() != null) {
                        cmd.addAll(List.of("table", r.table()));
                    }
                    execTolerant(cmd);
                }
            }
            case JournalEntry.Rule r -> {
                OptionalLong pref = findRule(r);
                if (pref.isPresent()) {
                    exec(ruleCommand(r, "del", pref), null);
                }
            }
            case JournalEntry.NftTable t -> {
                if (runQuiet(List.of("nft", "list", "table", t.family(), t.name())).succeeded()) {
                    exec(List.of("nft", "delete", "table", t.family(), t.name()), null);
                }
            }
            case JournalEntry.Dns d -> {
                if (d.method() == DnsMethod.RESOLVCONF) {
                    exec(List.of("resolvconf", "-d", d.name(), "-f"), null);
                } else if (linkExists(d.name())) {
                    exec(List.of("resolvectl", "revert", d.name()), null);
                }
            }
        }
    }

    /** The priority of a rule exactly like {@code r} ({@code ip -N rule show}), or empty if there is none. */
    private OptionalLong findRule(JournalEntry.Rule r) throws NetconfigException {
        String out = query(List.of("ip", "-N", r.ipv6() ? "-6" : "-4", "rule", "show"));
        String want = r.listing();
        for (String line : out.lines().toList()) {
            Matcher m = RULE_LINE.matcher(line);
            if (m.matches() && m.group(2).replaceAll("\\s+", " ").equals(want)) {
                return OptionalLong.of(Long.parseLong(m.group(1)));
            }
        }
        return OptionalLong.empty();
    }

    // ------------------------------------------------------------------ SaveConfig

    private void saveConfig() throws IOException {
        Optional<Path> file = options.configFile();
        Optional<Config> current = tunnel == null ? Optional.empty() : tunnel.currentConfig();
        if (file.isEmpty() || current.isEmpty()) {
            log("[!] SaveConfig: the tunnel's state is not available; " + file.map(Path::toString).orElse("file")
                    + " left unchanged");
            return;
        }
        Interface orig = config.iface();
        Interface now = current.get().iface();
        Interface.Builder b = orig.toBuilder().privateKey(now.privateKey()).listenPort(now.listenPort())
                .fwMark(now.fwMark());
        if (orig.mtu().isPresent()) {
            OptionalInt linkMtu = AutoMtu.parseMtu(runQuiet(List.of("ip", "link", "show", "dev", iface)).stdout());
            linkMtu.ifPresent(b::mtu);
        }
        Config merged = Config.builder().iface(b.build()).peers(current.get().peers()).build();
        Path target = file.get();
        AtomicFiles.write(target, merged.toWgQuickString().getBytes(StandardCharsets.UTF_8));
        log("[#] saved " + target);
    }

    // ------------------------------------------------------------------ hooks and commands

    private void runHooks(List<String> hooks, boolean failOnError) throws NetconfigException {
        for (String hook : hooks) {
            String h = hook.replace("%i", iface);
            log("[#] " + h);
            CommandRunner.CommandResult r = changeOrFail(hookCommand(h), null);
            forwardOutput(r);
            if (!r.succeeded() && failOnError) {
                throw new NetconfigException(Kind.SETUP_FAILED, "hook `" + h + "' exited with " + r.exitCode());
            }
        }
    }

    private List<String> runHooksQuietly(List<String> hooks) {
        List<String> problems = new ArrayList<>();
        for (String hook : hooks) {
            String h = hook.replace("%i", iface);
            log("[#] " + h);
            try {
                CommandRunner.CommandResult r = runner.change(hookCommand(h), null);
                forwardOutput(r);
                if (!r.succeeded()) {
                    problems.add("hook `" + h + "' exited with " + r.exitCode());
                }
            } catch (IOException e) {
                problems.add("hook `" + h + "': " + e.getMessage());
            }
        }
        return problems;
    }

    /** wg-quick evaluates hooks in a bash subshell under {@code set -e -o pipefail}. */
    static List<String> hookCommand(String hook) {
        return List.of("bash", "-e", "-o", "pipefail", "-c", hook);
    }

    private void forwardOutput(CommandRunner.CommandResult r) {
        r.stdout().lines().forEach(options.log());
        r.stderr().lines().forEach(options.log());
    }

    /** Runs a command that changes the host; a non-zero exit fails the step. */
    private void exec(List<String> argv, String stdin) throws NetconfigException {
        log("[#] " + String.join(" ", argv));
        CommandRunner.CommandResult r = changeOrFail(argv, stdin);
        if (!r.succeeded()) {
            String err = (r.stderr().isBlank() ? r.stdout() : r.stderr()).strip();
            throw new NetconfigException(Kind.SETUP_FAILED, "`" + String.join(" ", argv) + "' failed (exit "
                    + r.exitCode() + ")" + (err.isEmpty() ? "" : ": " + err));
        }
    }

    /** An undo step whose failure only means the thing is already gone. */
    private void execTolerant(List<String> argv) throws NetconfigException {
        log("[#] " + String.join(" ", argv));
        changeOrFail(argv, null);
    }

    /** Runs a read-only command; returns stdout, or "" if it failed. */
    private String query(List<String> argv) throws NetconfigException {
        CommandRunner.CommandResult r = runOrFail(argv, null);
        return r.succeeded() ? r.stdout() : "";
    }

    private CommandRunner.CommandResult runQuiet(List<String> argv) {
        try {
            return runner.run(argv, null);
        } catch (IOException e) {
            return CommandRunner.CommandResult.failed(-1, e.getMessage());
        }
    }

    private CommandRunner.CommandResult runOrFail(List<String> argv, String stdin) throws NetconfigException {
        try {
            return runner.run(argv, stdin);
        } catch (IOException e) {
            throw new NetconfigException(Kind.SETUP_FAILED, "cannot run `" + String.join(" ", argv) + "': "
                    + e.getMessage(), e);
        }
    }

    private CommandRunner.CommandResult changeOrFail(List<String> argv, String stdin) throws NetconfigException {
        try {
            return runner.change(argv, stdin);
        } catch (IOException e) {
            throw new NetconfigException(Kind.SETUP_FAILED, "cannot run `" + String.join(" ", argv) + "': "
                    + e.getMessage(), e);
        }
    }

    private boolean linkExists() throws NetconfigException {
        return linkExists(iface);
    }

    private boolean linkExists(String name) throws NetconfigException {
        return runOrFail(List.of("ip", "link", "show", "dev", name), null).succeeded();
    }

    private void record(JournalEntry e) throws NetconfigException {
        try {
            journal.record(e);
        } catch (IOException ex) {
            throw new NetconfigException(Kind.JOURNAL, "cannot write " + journal.file() + ": " + ex.getMessage(),
                    ex);
        }
    }

    private static String fam(IpPrefix n) {
        return n.isIpv6() ? "-6" : "-4";
    }

    private void log(String line) {
        options.log().accept(line);
    }

    private void requireState(State expected) {
        if (state != expected) {
            throw new IllegalStateException("expected state " + expected + ", is " + state);
        }
    }

    @Override
    public String toString() {
        return "LinuxNetworkConfigurator[" + iface + ", " + state + "]";
    }
}
