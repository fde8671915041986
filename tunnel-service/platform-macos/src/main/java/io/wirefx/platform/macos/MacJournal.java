package io.wirefx.platform.macos;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The undo record of one tunnel's macOS network changes. Each {@link Entry} is written durably <em>before</em> the
 * change it undoes, so after a crash the file lists a superset of what is in place, and undoing tolerates changes
 * that are already gone. Addresses and MTU need no entry: they vanish with the utun interface, which the kernel
 * destroys when the process that opened it dies.
 *
 * <p>Text, one item per line: a comment, {@code tunnel NAME}, {@code iface utunN}, then {@code entry KIND FIELD…},
 * oldest first, every field URL-encoded (service names contain spaces) and lists joined with {@code ,}.
 */
final class MacJournal {

    private static final String MAGIC = "# wirefx macOS network journal; written before each change, do not edit";

    /** One change and how to undo it. */
    sealed interface Entry {
        /** The commands that undo the change, in order. */
        List<List<String>> undo();

        /** The fields after {@code entry}. */
        List<String> fields();
    }

    /** {@code route -q -n add -inet|-inet6 PREFIX -interface IF}. */
    record Route(boolean ipv6, String prefix, String iface) implements Entry {
        @Override
        public List<List<String>> undo() {
            return List.of(List.of("route", "-q", "-n", "delete", ipv6 ? "-inet6" : "-inet", prefix, "-interface",
                    iface));
        }

        @Override
        public List<String> fields() {
            return List.of("route", ipv6 ? "inet6" : "inet", prefix, iface);
        }
    }

    /** A host route to a peer endpoint via the default gateway (or a blackhole). */
    record EndpointRoute(boolean ipv6, String address) implements Entry {
        @Override
        public List<List<String>> undo() {
            return List.of(List.of("route", "-q", "-n", "delete", ipv6 ? "-inet6" : "-inet", address));
        }

        @Override
        public List<String> fields() {
            return List.of("endpoint", ipv6 ? "inet6" : "inet", address);
        }
    }

    /** A network service's DNS servers and search domains as they were before (restored on undo). */
    record Dns(String service, List<String> servers, List<String> searchDomains) implements Entry {
        Dns {
            servers = List.copyOf(servers);
            searchDomains = List.copyOf(searchDomains);
        }

        @Override
        public List<List<String>> undo() {
            List<String> setServers = new ArrayList<>(List.of("networksetup", "-setdnsservers", service));
            setServers.addAll(servers);
            List<String> setDomains = new ArrayList<>(List.of("networksetup", "-setsearchdomains", service));
            setDomains.addAll(searchDomains);
            return List.of(setServers, setDomains);
        }

        @Override
        public List<String> fields() {
            return List.of("dns", service, String.join(",", servers.stream().map(MacJournal::enc).toList()),
                    String.join(",", searchDomains.stream().map(MacJournal::enc).toList()));
        }
    }

    private final Path file;
    private final String tunnel;
    private final String iface;
    private final List<Entry> entries;

    private MacJournal(Path file, String tunnel, String iface, List<Entry> entries) {
        this.file = file;
        this.tunnel = tunnel;
        this.iface = iface;
        this.entries = new ArrayList<>(entries);
    }

    /** Starts a journal (replacing a file of that name, which the caller has undone first). */
    static MacJournal create(Path file, String tunnel, String iface) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        MacJournal j = new MacJournal(file, tunnel, iface, List.of());
        j.write();
        return j;
    }

    /** Reads a journal left by an earlier run. */
    static MacJournal load(Path file) throws IOException {
        String tunnel = null;
        String iface = null;
        List<Entry> entries = new ArrayList<>();
        int n = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(" ");
            try {
                switch (f[0]) {
                    case "tunnel" -> tunnel = dec(f[1]);
                    case "iface" -> iface = dec(f[1]);
                    case "entry" -> entries.add(decode(Arrays.copyOfRange(f, 1, f.length)));
                    default -> throw new IllegalArgumentException("unknown line");
                }
            } catch (RuntimeException e) {
                throw new IOException(file + ":" + n + ": malformed journal line (" + e.getMessage() + ")");
            }
        }
        if (tunnel == null || iface == null) {
            throw new IOException(file + ": journal header incomplete");
        }
        return new MacJournal(file, tunnel, iface, entries);
    }

    private static Entry decode(String[] f) {
        return switch (f[0]) {
            case "route" -> new Route(inet6(f[1]), dec(f[2]), dec(f[3]));
            case "endpoint" -> new EndpointRoute(inet6(f[1]), dec(f[2]));
            case "dns" -> new Dns(dec(f[1]), list(f, 2), list(f, 3));
            default -> throw new IllegalArgumentException("unknown entry " + f[0]);
        };
    }

    private static boolean inet6(String family) {
        return switch (family) {
            case "inet" -> false;
            case "inet6" -> true;
            default -> throw new IllegalArgumentException("family " + family);
        };
    }

    private static List<String> list(String[] f, int i) {
        if (i >= f.length || f[i].isEmpty()) {
            return List.of();
        }
        return Arrays.stream(f[i].split(",")).map(MacJournal::dec).toList();
    }

    Path file() {
        return file;
    }

    String tunnel() {
        return tunnel;
    }

    String iface() {
        return iface;
    }

    synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** Appends an entry (unless an equal one is listed) and writes the file before returning. */
    synchronized void record(Entry entry) throws IOException {
        if (entries.contains(Objects.requireNonNull(entry))) {
            return;
        }
        entries.add(entry);
        try {
            write();
        } catch (IOException e) {
            entries.removeLast();
            throw e;
        }
    }

    /** Drops the newest entry equal to {@code entry} (it was undone). */
    synchronized void forget(Entry entry) throws IOException {
        int i = entries.lastIndexOf(entry);
        if (i >= 0) {
            entries.remove(i);
            write();
        }
    }

    synchronized void delete() throws IOException {
        Files.deleteIfExists(file);
    }

    private void write() throws IOException {
        StringBuilder sb = new StringBuilder(MAGIC).append('\n');
        sb.append("tunnel ").append(enc(tunnel)).append('\n');
        sb.append("iface ").append(enc(iface)).append('\n');
        for (Entry e : entries) {
            List<String> f = e.fields();
            sb.append("entry ").append(f.getFirst());
            for (int i = 1; i < f.size(); i++) {
                // dns lists are already encoded item by item; everything else is one value
                String v = e instanceof Dns && i >= 2 ? f.get(i) : enc(f.get(i));
                sb.append(' ').append(v);
            }
            sb.append('\n');
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String dec(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
