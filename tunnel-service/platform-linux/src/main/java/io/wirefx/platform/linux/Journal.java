package io.wirefx.platform.linux;

import io.wirefx.platform.AtomicFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The state file of one running tunnel: which host changes have been (or are about to be) made. Every entry is
 * written durably <em>before</em> the change it describes, so after a crash the file lists a superset of what is in
 * place; undoing tolerates changes that are already gone.
 *
 * <p>Format (text, one item per line): a comment line, {@code version 1}, {@code pid N}, {@code netns ID},
 * {@code iface NAME}, then one {@code entry ...} line per {@link JournalEntry}, oldest first. The file is replaced
 * atomically on every update.
 */
public final class Journal {
    /** File name suffix of a journal: {@code IF.state}. */
    static final String SUFFIX = ".state";

    static final String MAGIC = "# wirefx network state journal";
    private static final Pattern NETNS = Pattern.compile("[A-Za-z0-9:\\[\\]_-]{1,64}");

    /** Who wrote the journal: process id, network namespace ({@code net:[inode]}) and interface. */
    public record Header(long pid, String netns, String iface) {
        public Header {
            Objects.requireNonNull(netns, "netns");
            if (!NETNS.matcher(netns).matches()) {
                throw new IllegalArgumentException("bad netns id");
            }
            if (!JournalEntry.TOKEN.matcher(Objects.requireNonNull(iface, "iface")).matches()) {
                throw new IllegalArgumentException("bad interface name");
            }
        }
    }

    private final Path file;
    private final Header header;
    private final List<JournalEntry> entries;

    private Journal(Path file, Header header, List<JournalEntry> entries) {
        this.file = file;
        this.header = header;
        this.entries = new ArrayList<>(entries);
    }

    /**
     * Creates a new journal file (its directory too).
     *
     * @throws FileAlreadyExistsException if the file exists
     */
    public static Journal create(Path file, Header header) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        if (Files.exists(file)) {
            throw new FileAlreadyExistsException(file.toString());
        }
        Journal j = new Journal(file, header, List.of());
        j.write();
        return j;
    }

    /**
     * Reads an existing journal.
     *
     * @throws IOException if it cannot be read or is malformed (the message names the line)
     */
    public static Journal load(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Long pid = null;
        String netns = null;
        String iface = null;
        List<JournalEntry> entries = new ArrayList<>();
        int n = 0;
        for (String line : lines) {
            n++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int sp = line.indexOf(' ');
            String key = sp < 0 ? line : line.substring(0, sp);
            String value = sp < 0 ? "" : line.substring(sp + 1).strip();
            try {
                switch (key) {
                    case "version" -> {
                        if (!"1".equals(value)) {
                            throw new IllegalArgumentException("unsupported version");
                        }
                    }
                    case "pid" -> pid = Long.parseLong(value);
                    case "netns" -> netns = value;
                    case "iface" -> iface = value;
                    case "entry" -> entries.add(JournalEntry.decode(value));
                    default -> throw new IllegalArgumentException("unknown line");
                }
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ":" + n + ": malformed journal line (" + e.getMessage() + ")");
            }
        }
        if (pid == null || netns == null || iface == null) {
            throw new IOException(file + ": journal header incomplete");
        }
        try {
            return new Journal(file, new Header(pid, netns, iface), entries);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": bad journal header (" + e.getMessage() + ")");
        }
    }

    public Path file() {
        return file;
    }

    public Header header() {
        return header;
    }

    /** The entries, oldest first. */
    public synchronized List<JournalEntry> entries() {
        return List.copyOf(entries);
    }

    /** Appends an entry and writes the file before returning. */
    public synchronized void record(JournalEntry entry) throws IOException {
        entries.add(Objects.requireNonNull(entry, "entry"));
        try {
            write();
        } catch (IOException e) {
            entries.removeLast();
            throw e;
        }
    }

    /** Removes the newest entry equal to {@code entry} (after it was undone) and writes the file. */
    public synchronized void forget(JournalEntry entry) throws IOException {
        int i = entries.lastIndexOf(entry);
        if (i >= 0) {
            entries.remove(i);
            write();
        }
    }

    /** Deletes the file (when everything has been undone). */
    public synchronized void delete() throws IOException {
        Files.deleteIfExists(file);
    }

    private void write() throws IOException {
        StringBuilder sb = new StringBuilder(MAGIC).append("; written before each change, do not edit\n");
        sb.append("version 1\n");
        sb.append("pid ").append(header.pid()).append('\n');
        sb.append("netns ").append(header.netns()).append('\n');
        sb.append("iface ").append(header.iface()).append('\n');
        for (JournalEntry e : entries) {
            sb.append("entry ").append(e.encode()).append('\n');
        }
        AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "Journal[" + file + ", " + entries().size() + " entries]";
    }
}
