package io.wirefx.platform.windows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The undo journal of one tunnel's adapter configuration: which {@link NetOp}s have been (or are about to be)
 * performed on which LUID. Each operation is written durably <em>before</em> it is performed, so after a crash the
 * file lists a superset of what is in place; undo tolerates what is already gone.
 *
 * <p>Format: {@code # wirefx windows network journal}, {@code luid 0x...}, then one {@link NetOp#encode()} line per
 * operation, oldest first. Replaced atomically on every update.
 */
final class NetJournal {

    static final String MAGIC = "# wirefx windows network journal";

    private final Path file;
    private final long luid;
    private final List<NetOp> ops;

    private NetJournal(Path file, long luid, List<NetOp> ops) {
        this.file = file;
        this.luid = luid;
        this.ops = new ArrayList<>(ops);
    }

    static NetJournal create(Path file, long luid) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        NetJournal j = new NetJournal(file, luid, List.of());
        j.save();
        return j;
    }

    static NetJournal load(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.size() < 2 || !lines.get(0).equals(MAGIC) || !lines.get(1).startsWith("luid 0x")) {
            throw new IOException("not a WireFX network journal: " + file);
        }
        long luid = Long.parseUnsignedLong(lines.get(1).substring("luid 0x".length()), 16);
        List<NetOp> ops = new ArrayList<>();
        for (String line : lines.subList(2, lines.size())) {
            if (!line.isBlank()) {
                try {
                    ops.add(NetOp.decode(line));
                } catch (IllegalArgumentException e) {
                    throw new IOException(file + ": " + e.getMessage(), e);
                }
            }
        }
        return new NetJournal(file, luid, ops);
    }

    Path file() {
        return file;
    }

    long luid() {
        return luid;
    }

    synchronized List<NetOp> ops() {
        return List.copyOf(ops);
    }

    synchronized void record(NetOp op) throws IOException {
        ops.add(op);
        save();
    }

    synchronized void delete() throws IOException {
        Files.deleteIfExists(file);
    }

    private void save() throws IOException {
        StringBuilder sb = new StringBuilder(MAGIC).append('\n')
                .append("luid 0x").append(Long.toHexString(luid)).append('\n');
        ops.forEach(op -> sb.append(op.encode()).append('\n'));
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (var ch = java.nio.channels.FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
