package io.wirefx.platform.windows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Tunnel configs in {@code %ProgramData%\WireFX\Tunnels\NAME.conf.dpapi}, each encrypted with the tunnel name as the
 * DPAPI description. On load the description must equal the file's tunnel name, so a ciphertext copied over another
 * tunnel's file is refused. Writes go to a temporary file in the same directory, then replace the old file atomically
 * ({@code MoveFileEx} with replace semantics): a crash leaves either the old or the new config, never half of one.
 */
public final class EncryptedConfigStore {

    static final String SUFFIX = ".conf.dpapi";

    private final Path dir;
    private final ConfigProtector protector;

    public EncryptedConfigStore(Path dir, ConfigProtector protector) {
        this.dir = dir;
        this.protector = protector;
    }

    /** Encrypts and stores (or replaces) the config of {@code name}. */
    public void save(String name, String configText) throws IOException {
        Files.createDirectories(dir);
        byte[] plain = configText.getBytes(StandardCharsets.UTF_8);
        byte[] cipher;
        try {
            cipher = protector.protect(plain, name);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
        Path tmp = Files.createTempFile(dir, "." + name, ".tmp");
        try {
            Files.write(tmp, cipher);
            Files.move(tmp, file(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Loads and decrypts the config of {@code name}. */
    public String load(String name) throws IOException {
        Path f = file(name);
        if (Files.isSymbolicLink(f)) {
            throw new IOException(f + " is a link");
        }
        ConfigProtector.Unprotected u = protector.unprotect(Files.readAllBytes(f));
        try {
            if (!name.equals(u.description())) {
                throw new IOException(f + " was encrypted for tunnel \"" + u.description() + "\", not \"" + name
                        + "\"");
            }
            return new String(u.plain(), StandardCharsets.UTF_8);
        } finally {
            Arrays.fill(u.plain(), (byte) 0);
        }
    }

    /** Deletes the config of {@code name}; false if there was none. */
    public boolean delete(String name) throws IOException {
        return Files.deleteIfExists(file(name));
    }

    /** Names of the stored tunnels, sorted. */
    public List<String> names() throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path p : s) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    String n = p.getFileName().toString();
                    out.add(n.substring(0, n.length() - SUFFIX.length()));
                }
            }
        }
        out.sort(null);
        return out;
    }

    Path file(String name) {
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw new IllegalArgumentException("bad tunnel name: " + name);
        }
        return dir.resolve(name + SUFFIX);
    }
}
