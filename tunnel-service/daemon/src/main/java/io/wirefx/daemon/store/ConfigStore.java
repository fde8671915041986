package io.wirefx.daemon.store;

import io.wirefx.core.config.TunnelNames;
import io.wirefx.platform.AtomicFiles;
import io.wirefx.platform.ConfigProtection;

import io.wirefx.core.config.BadConfigException;
import io.wirefx.core.config.Config;
import io.wirefx.ipc.TunnelSettings;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The tunnel configurations: one wg-quick file {@code NAME.conf} per tunnel in a directory only root can read
 * (directory 0700, files 0600).
 *
 * <p>Every write is validated ({@link Config#parse(String)}) before anything touches the disk, then written to a
 * temporary file in the same directory, flushed to the device ({@code fsync}), renamed over the target (atomic) and
 * the directory is flushed too, so that after a crash or power loss at any moment the file is either the old or the
 * new version, never a mix. Temporary files a crash left behind are deleted by {@link #open}. The text is stored as
 * given (comments kept). Names follow the portable tunnel-name rule ({@link TunnelNames}).
 *
 * <p>Files go through the platform's {@link ConfigProtection}: sealed before they are written, opened after they are
 * read (DPAPI on Windows, in {@code NAME.conf.dpapi}; nothing elsewhere). A file that does not open is reported with
 * its path and left as it is.
 *
 * <p>Beside each configuration, its {@link TunnelSettings} (kill switch, on-demand rules) in
 * {@code NAME.settings.json} (0600, written the same atomic way): absent means {@link TunnelSettings#DEFAULT}; it
 * follows a rename and goes with a delete. A settings file that cannot be read is an INVALID_SETTINGS error naming
 * the file; the configuration itself stays readable.
 *
 * <p>Thread-safe: one lock serializes all operations. Assumes it is the only writer of its directory.
 */
public final class ConfigStore {
    /** The production location. */
    public static final Path DEFAULT_DIRECTORY = Path.of("/etc/wirefx/tunnels");
    /** At most this many entries are read from one zip. */
    public static final int MAX_ARCHIVE_ENTRIES = 256;
    /** Largest inflated size of one zip entry (the configuration size limit). */
    public static final int MAX_ENTRY_BYTES = Config.MAX_TEXT_LENGTH;
    /** Largest inflated size of all entries of one zip together. */
    public static final long MAX_ARCHIVE_INFLATED_BYTES = 16L << 20;

    static final String SUFFIX = ".conf";
    /** Room for what sealing adds to a configuration (DPAPI: a few hundred bytes). */
    static final int MAX_SEAL_OVERHEAD = 64 * 1024;
    static final String SETTINGS_SUFFIX = ".settings.json";
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

    private final Path dir;
    private final Object lock = new Object();
    private final int staleTempFilesRemoved;
    private final ConfigProtection protection;
    private final String suffix;

    private ConfigStore(Path dir, int staleTempFilesRemoved, ConfigProtection protection) {
        this.dir = dir;
        this.staleTempFilesRemoved = staleTempFilesRemoved;
        this.protection = protection;
        this.suffix = protection.fileSuffix();
    }

    /**
     * Opens (creating if needed, mode 0700) the store directory and deletes temporary files left by a crash.
     *
     * @throws IOException if the directory cannot be created or is not a directory
     */
    /**
     * Where files have ACLs instead of modes (Windows): the directory's ACL becomes full control for its owner (the
     * service's account) and the {@code Administrators} group only, inherited by the files created in it, like mode
     * 0700 for root. Without an ACL view (neither POSIX nor ACL) the store refuses to open.
     */
    public static void restrictAcl(Path dir) throws IOException {
        java.nio.file.attribute.AclFileAttributeView view = Files.getFileAttributeView(dir,
                java.nio.file.attribute.AclFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            throw new IOException("cannot restrict access to " + dir + ": the file system has neither modes nor ACLs");
        }
        java.nio.file.attribute.UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        List<java.nio.file.attribute.UserPrincipal> principals = List.of(view.getOwner(),
                users.lookupPrincipalByGroupName("Administrators"));
        List<java.nio.file.attribute.AclEntry> acl = new ArrayList<>();
        for (java.nio.file.attribute.UserPrincipal who : principals) {
            acl.add(java.nio.file.attribute.AclEntry.newBuilder()
                    .setType(java.nio.file.attribute.AclEntryType.ALLOW).setPrincipal(who)
                    .setPermissions(EnumSet.allOf(java.nio.file.attribute.AclEntryPermission.class))
                    .setFlags(java.nio.file.attribute.AclEntryFlag.FILE_INHERIT,
                            java.nio.file.attribute.AclEntryFlag.DIRECTORY_INHERIT)
                    .build());
        }
        view.setAcl(acl);
    }

    public static ConfigStore open(Path directory) throws IOException {
        return open(directory, ConfigProtection.NONE);
    }

    /** {@link #open(Path)} with the files sealed by {@code protection} (the platform's). */
    public static ConfigStore open(Path directory, ConfigProtection protection) throws IOException {
        Objects.requireNonNull(protection, "protection");
        Path dir = directory.toAbsolutePath().normalize();
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir.getParent());
            try {
                if (posix) {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
                } else {
                    Files.createDirectory(dir);
                }
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    throw new IOException(dir + " exists and is not a directory");
                }
            }
        }
        if (posix) {
            Files.setPosixFilePermissions(dir, DIR_MODE);
        } else {
            restrictAcl(dir);
        }
        int removed = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (AtomicFiles.isTemporary(n)) {
                    Files.deleteIfExists(p);
                    removed++;
                }
            }
        }
        if (removed > 0) {
            AtomicFiles.syncDirectory(dir);
        }
        return new ConfigStore(dir, removed, protection);
    }

    public Path directory() {
        return dir;
    }

    /** How many temporary files {@link #open} deleted. */
    public int staleTempFilesRemoved() {
        return staleTempFilesRemoved;
    }

    /** True if {@code name} can name a stored tunnel. */
    public static boolean isValidName(String name) {
        return TunnelNames.isValid(name);
    }

    /** The tunnel names, sorted. Files that are not {@code VALIDNAME.conf} are ignored. */
    public List<String> names() throws IOException {
        synchronized (lock) {
            List<String> out = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + suffix)) {
                for (Path p : ds) {
                    String n = p.getFileName().toString();
                    String stem = n.substring(0, n.length() - suffix.length());
                    if (isValidName(stem) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                        out.add(stem);
                    }
                }
            }
            out.sort(null);
            return out;
        }
    }

    public boolean exists(String name) {
        synchronized (lock) {
            return isValidName(name) && Files.isRegularFile(file(name), LinkOption.NOFOLLOW_LINKS);
        }
    }

    /** The stored text. */
    public String read(String name) throws IOException, StoreException {
        Path f = existing(name);
        synchronized (lock) {
            try {
                byte[] bytes;
                try (InputStream in = Files.newInputStream(f, LinkOption.NOFOLLOW_LINKS)) {
                    bytes = in.readNBytes(MAX_ENTRY_BYTES + 1
                            + (protection == ConfigProtection.NONE ? 0 : MAX_SEAL_OVERHEAD));
                }
                bytes = opened(name, f, bytes);
                if (bytes.length > MAX_ENTRY_BYTES) {
                    throw new StoreException(StoreException.Reason.TOO_LARGE, "the stored file is too large");
                }
                return decode(bytes);
            } catch (NoSuchFileException e) {
                throw notFound(name);
            } catch (BadConfigException e) {
                throw new StoreException(StoreException.Reason.INVALID_CONFIG, "stored file: " + e.getMessage(), e);
            }
        }
    }

    /** The stored configuration, parsed (INVALID_CONFIG if the file was edited by hand into something invalid). */
    public Config load(String name) throws IOException, StoreException {
        String text = read(name);
        try {
            return Config.parse(text);
        } catch (BadConfigException e) {
            throw new StoreException(StoreException.Reason.INVALID_CONFIG, "stored file: " + e.getMessage(), e);
        }
    }

    /** Adds a tunnel; ALREADY_EXISTS if the name is taken. */
    public Config create(String name, String text) throws IOException, StoreException {
        return write(name, text, Mode.CREATE);
    }

    /** Replaces an existing tunnel's text; NOT_FOUND if there is none. */
    public Config update(String name, String text) throws IOException, StoreException {
        return write(name, text, Mode.UPDATE);
    }

    /** Creates or replaces. */
    public Config put(String name, String text) throws IOException, StoreException {
        return write(name, text, Mode.PUT);
    }

    /** Renames; NOT_FOUND, ALREADY_EXISTS (the new name is taken) or INVALID_NAME. */
    public void rename(String from, String to) throws IOException, StoreException {
        checkName(to);
        Path src = existing(from);
        synchronized (lock) {
            if (!Files.isRegularFile(src, LinkOption.NOFOLLOW_LINKS)) {
                throw notFound(from);
            }
            if (from.equals(to)) {
                return;
            }
            Path dst = file(to);
            if (Files.exists(dst, LinkOption.NOFOLLOW_LINKS)) {
                throw new StoreException(StoreException.Reason.ALREADY_EXISTS, "a tunnel named " + to + " exists");
            }
            Path settingsDst = settingsFile(to);
            Files.deleteIfExists(settingsDst); // a stray one of a tunnel deleted long ago
            if (Files.exists(settingsFile(from), LinkOption.NOFOLLOW_LINKS)) {
                Files.move(settingsFile(from), settingsDst, StandardCopyOption.ATOMIC_MOVE);
            }
            if (protection == ConfigProtection.NONE) {
                Files.move(src, dst, StandardCopyOption.ATOMIC_MOVE);
            } else { // sealed for its name: sealed again for the new one, then the old file goes
                AtomicFiles.write(dst, protection.seal(to, opened(from, src, Files.readAllBytes(src))));
                Files.delete(src);
            }
            AtomicFiles.syncDirectory(dir);
        }
    }

    /** Deletes; NOT_FOUND if absent. */
    public void delete(String name) throws IOException, StoreException {
        Path f = existing(name);
        synchronized (lock) {
            try {
                Files.delete(f);
            } catch (NoSuchFileException e) {
                throw notFound(name);
            }
            Files.deleteIfExists(settingsFile(name));
            AtomicFiles.syncDirectory(dir);
        }
    }

    /**
     * A tunnel's settings: {@link TunnelSettings#DEFAULT} when it has no settings file; NOT_FOUND without the tunnel,
     * INVALID_SETTINGS (naming the file and what is wrong) when the file is not valid settings.
     */
    public TunnelSettings settings(String name) throws IOException, StoreException {
        existing(name);
        Path f = settingsFile(name);
        synchronized (lock) {
            byte[] bytes;
            try (InputStream in = Files.newInputStream(f, LinkOption.NOFOLLOW_LINKS)) {
                bytes = in.readNBytes(SettingsFile.MAX_BYTES + 1);
            } catch (NoSuchFileException e) {
                return TunnelSettings.DEFAULT;
            }
            try {
                return SettingsFile.decode(bytes);
            } catch (IllegalArgumentException e) {
                throw new StoreException(StoreException.Reason.INVALID_SETTINGS, "the settings file " + f
                        + " is not valid: " + e.getMessage() + "; fix it, or save the settings again to replace it");
            }
        }
    }

    /** Replaces a tunnel's settings (atomically, 0600); NOT_FOUND without the tunnel. */
    public void setSettings(String name, TunnelSettings settings) throws IOException, StoreException {
        Objects.requireNonNull(settings, "settings");
        existing(name);
        synchronized (lock) {
            if (!Files.isRegularFile(file(name), LinkOption.NOFOLLOW_LINKS)) {
                throw notFound(name);
            }
            AtomicFiles.write(settingsFile(name), SettingsFile.encode(settings));
        }
    }

    /**
     * Imports one wg-quick file; the tunnel name comes from the file name ({@code wg0.conf} → {@code wg0}).
     * Never throws for bad input: the outcome says what went wrong.
     */
    public ImportOutcome importFile(String fileName, byte[] content, boolean replace) throws IOException {
        String entry = printable(fileName);
        Optional<String> name = TunnelNames.fromFileName(fileName);
        if (name.isEmpty() || !isValidName(name.get()) || fileName.contains("/") || fileName.contains("\\")) {
            return ImportOutcome.failed(entry, null, new StoreException(StoreException.Reason.INVALID_NAME,
                    "the file name must be NAME.conf with a valid interface name"));
        }
        return importBytes(entry, name.get(), content, replace);
    }

    /** Imports a text under an explicit name; never throws for bad input. */
    public ImportOutcome importText(String name, String text, boolean replace) throws IOException {
        String entry = printable(name);
        try {
            checkName(name);
            Mode mode = replace ? Mode.PUT : Mode.CREATE;
            boolean existed = exists(name);
            write(name, text, mode);
            return ImportOutcome.ok(entry, name, existed && replace);
        } catch (StoreException e) {
            return ImportOutcome.failed(entry, isValidName(name) ? name : null, e);
        }
    }

    /**
     * Imports every {@code NAME.conf} entry of a zip. Each entry gets an outcome; good entries are kept even when
     * others fail. Refused: directories and paths (only top-level {@code NAME.conf} files are accepted), entries
     * inflating beyond {@link #MAX_ENTRY_BYTES}, more than {@link #MAX_ARCHIVE_ENTRIES} entries or more than
     * {@link #MAX_ARCHIVE_INFLATED_BYTES} in total. The size limits and a corrupt archive stop the import there (a
     * final outcome with entry {@code "(archive)"} says why); entries before stay imported.
     */
    public List<ImportOutcome> importZip(byte[] zip, boolean replace) throws IOException {
        List<ImportOutcome> out = new ArrayList<>();
        long total = 0;
        int count = 0;
        try (ZipInputStream zin = new ZipInputStream(new ByteArrayInputStream(zip), StandardCharsets.UTF_8)) {
            ZipEntry e;
            while ((e = zin.getNextEntry()) != null) {
                if (++count > MAX_ARCHIVE_ENTRIES) {
                    out.add(archiveFailure(StoreException.Reason.TOO_LARGE,
                            "more than " + MAX_ARCHIVE_ENTRIES + " entries; the rest was not read"));
                    return out;
                }
                String entryName = e.getName();
                // Read (or skip) by counting inflated bytes: the sizes in the headers cannot be trusted.
                byte[] data = zin.readNBytes(MAX_ENTRY_BYTES + 1);
                total += data.length;
                if (data.length > MAX_ENTRY_BYTES) {
                    out.add(ImportOutcome.failed(printable(entryName), null, new StoreException(
                            StoreException.Reason.TOO_LARGE, "entry larger than " + MAX_ENTRY_BYTES + " bytes")));
                    out.add(archiveFailure(StoreException.Reason.TOO_LARGE,
                            "import stopped at an oversized entry"));
                    return out;
                }
                if (total > MAX_ARCHIVE_INFLATED_BYTES) {
                    out.add(archiveFailure(StoreException.Reason.TOO_LARGE,
                            "archive inflates to more than " + MAX_ARCHIVE_INFLATED_BYTES + " bytes"));
                    return out;
                }
                if (e.isDirectory() || entryName.contains("/") || entryName.contains("\\")) {
                    out.add(ImportOutcome.failed(printable(entryName), null, new StoreException(
                            StoreException.Reason.INVALID_NAME,
                            "directories and paths are not allowed; put NAME.conf files at the top level")));
                    continue;
                }
                out.add(importFile(entryName, data, replace));
            }
        } catch (IOException | IllegalArgumentException e) {
            // ZipException, bad entry name encoding, truncated data...
            out.add(archiveFailure(StoreException.Reason.INVALID_ARCHIVE, "not a readable zip archive"
                    + (out.isEmpty() ? "" : "; entries before the damage were processed")));
            return out;
        }
        if (count == 0) {
            out.add(archiveFailure(StoreException.Reason.INVALID_ARCHIVE, "no entries: not a zip archive?"));
        }
        return out;
    }

    /** A zip with one {@code NAME.conf} per tunnel (the stored texts), sorted by name. */
    public byte[] exportZip() throws IOException {
        synchronized (lock) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            try (ZipOutputStream zout = new ZipOutputStream(buf, StandardCharsets.UTF_8)) {
                for (String name : names()) {
                    byte[] data;
                    try {
                        data = opened(name, file(name), Files.readAllBytes(file(name)));
                    } catch (NoSuchFileException e) {
                        continue;
                    }
                    ZipEntry entry = new ZipEntry(name + SUFFIX);
                    entry.setLastModifiedTime(Files.getLastModifiedTime(file(name)));
                    zout.putNextEntry(entry);
                    zout.write(data);
                    zout.closeEntry();
                }
            }
            return buf.toByteArray();
        }
    }

    // ---- internals ---------------------------------------------------------------------------------------------

    private enum Mode { CREATE, UPDATE, PUT }

    private ImportOutcome importBytes(String entry, String name, byte[] content, boolean replace) throws IOException {
        String text;
        try {
            if (content.length > MAX_ENTRY_BYTES) {
                throw new StoreException(StoreException.Reason.TOO_LARGE, "larger than " + MAX_ENTRY_BYTES + " bytes");
            }
            text = decode(content);
        } catch (BadConfigException e) {
            return ImportOutcome.failed(entry, name,
                    new StoreException(StoreException.Reason.INVALID_CONFIG, e.getMessage(), e));
        } catch (StoreException e) {
            return ImportOutcome.failed(entry, name, e);
        }
        ImportOutcome o = importText(name, text, replace);
        return new ImportOutcome(entry, o.tunnel(), o.error(), o.message(), o.configError(), o.replaced());
    }

    private Config write(String name, String text, Mode mode) throws IOException, StoreException {
        checkName(name);
        Objects.requireNonNull(text, "text");
        Config config;
        try {
            config = Config.parse(text);
        } catch (BadConfigException e) {
            throw new StoreException(StoreException.Reason.INVALID_CONFIG, e.getMessage(), e);
        }
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        Path target = file(name);
        synchronized (lock) {
            boolean exists = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
            if (mode == Mode.CREATE && exists) {
                throw new StoreException(StoreException.Reason.ALREADY_EXISTS, "a tunnel named " + name + " exists");
            }
            if (mode == Mode.UPDATE && !exists) {
                throw notFound(name);
            }
            if (!exists) {
                Files.deleteIfExists(settingsFile(name)); // a new tunnel starts from the defaults
            }
            AtomicFiles.write(target, protection.seal(name, data));
        }
        return config;
    }

    /** Temp file in the same directory, fsync, atomic rename over the target, fsync of the directory. */


    private Path file(String name) {
        return dir.resolve(name + suffix);
    }

    /** The configuration in a stored file's bytes; an IOException naming the file if it does not open. */
    private byte[] opened(String name, Path file, byte[] stored) throws IOException {
        try {
            return protection.open(name, stored);
        } catch (IOException e) {
            throw new IOException("cannot open the stored configuration " + file + " (protection: " + protection
                    + "): " + e.getMessage() + "; the file is left as it is", e);
        }
    }

    private Path settingsFile(String name) {
        return dir.resolve(name + SETTINGS_SUFFIX);
    }

    private Path existing(String name) throws StoreException {
        checkName(name);
        Path f = file(name);
        if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
            throw notFound(name);
        }
        return f;
    }

    private static void checkName(String name) throws StoreException {
        if (!isValidName(name)) {
            throw new StoreException(StoreException.Reason.INVALID_NAME,
                    "invalid tunnel name: " + TunnelNames.problem(name).orElse(name));
        }
    }

    private static StoreException notFound(String name) {
        return new StoreException(StoreException.Reason.NOT_FOUND, "no tunnel named " + name);
    }

    private static ImportOutcome archiveFailure(StoreException.Reason reason, String message) {
        return ImportOutcome.failed("(archive)", null, new StoreException(reason, message));
    }

    /** Strict UTF-8; malformed input is INVALID_ENCODING at the line of the first bad byte. */
    static String decode(byte[] bytes) throws BadConfigException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            CharBuffer chars = decoder.decode(in);
            return chars.toString();
        } catch (CharacterCodingException e) {
            int bad = firstMalformed(bytes);
            int line = 1;
            for (int i = 0; i < bad; i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new BadConfigException(BadConfigException.Section.TOP_LEVEL, line, null,
                    BadConfigException.Reason.INVALID_ENCODING, null);
        }
    }

    private static int firstMalformed(byte[] bytes) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder();
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        d.decode(in, out, true);
        return in.position();
    }

    /** Entry names come from archives: keep them printable and short for messages. */
    static String printable(String s) {
        String p = s == null ? "" : s.replaceAll("\\p{Cntrl}", "?");
        return p.length() <= 200 ? p : p.substring(0, 200) + "…";
    }
}
