package io.wirefx.tun.windows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Finds {@code wintun.dll} in the installation directory and proves it is the pinned Wintun build before anything
 * loads it.
 *
 * <p>The installer ships the unmodified release archive {@code wintun-<version>.zip} (its licence allows that) next to
 * the application. Its SHA-256 is pinned here ({@link #PINNED}); the DLL for this machine's architecture is taken from
 * that archive: {@code wintun.dll} in the installation directory must have the same bytes as the archive's
 * {@code wintun/bin/<arch>/wintun.dll}, or is written from it when absent. So the one pinned value covers the DLL
 * that gets loaded, whatever the architecture.
 *
 * <p>The DLL is only ever loaded by this absolute path, never by name (which would search the working directory,
 * {@code PATH} and the directory of {@code java.exe}: DLL planting). The installation directory is writable by
 * Administrators and SYSTEM only; a symbolic link in place of the DLL is refused.
 */
public final class WintunPackage {

    /**
     * A pinned Wintun release.
     *
     * @param version   release version, e.g. {@code 0.14.1}
     * @param zipSha256 lower-case hex SHA-256 of {@code wintun-<version>.zip} as published on wintun.net
     */
    public record Pin(String version, String zipSha256) {

        /** The archive's file name. */
        public String zipName() {
            return "wintun-" + version + ".zip";
        }
    }

    /** Wintun 0.14.1, the release wireguard-windows pins with the same archive hash. */
    public static final Pin PINNED = new Pin("0.14.1",
            "07c256185d6ee3652e09fa55c0b673e2624b565e02c4b9091c79ca7d2f24ef51");

    /** Name of the DLL in the installation directory. */
    public static final String DLL_NAME = "wintun.dll";

    private WintunPackage() {
    }

    /**
     * Returns the absolute path of the verified {@code wintun.dll} in {@code installDir}, writing it from the pinned
     * archive first if it is missing.
     *
     * @param arch Wintun's architecture directory: {@code amd64}, {@code arm64}, {@code x86} or {@code arm}
     * @throws IOException if the archive is missing or does not match the pin, the DLL differs from the archive's,
     *                     or the DLL is a link
     */
    public static Path verify(Path installDir, Pin pin, String arch) throws IOException {
        if (!installDir.isAbsolute()) {
            throw new IOException("installation directory must be absolute: " + installDir);
        }
        Path zip = installDir.resolve(pin.zipName());
        if (!Files.isRegularFile(zip, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("Wintun archive missing: " + zip);
        }
        String zipHash = sha256(Files.readAllBytes(zip));
        if (!zipHash.equals(pin.zipSha256())) {
            throw new IOException(zip + " has SHA-256 " + zipHash + ", pinned " + pin.zipSha256());
        }
        byte[] expected;
        String entryName = "wintun/bin/" + arch + "/" + DLL_NAME;
        try (ZipFile z = new ZipFile(zip.toFile())) {
            ZipEntry entry = z.getEntry(entryName);
            if (entry == null) {
                throw new IOException(zip + " has no " + entryName);
            }
            try (InputStream in = z.getInputStream(entry)) {
                expected = in.readAllBytes();
            }
        }
        Path dll = installDir.resolve(DLL_NAME);
        if (Files.isSymbolicLink(dll)) {
            throw new IOException(dll + " is a link; refusing to load it");
        }
        if (!Files.exists(dll, LinkOption.NOFOLLOW_LINKS)) {
            Path tmp = Files.createTempFile(installDir, "wintun", ".tmp");
            try {
                Files.write(tmp, expected);
                Files.move(tmp, dll, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        String actual = sha256(Files.readAllBytes(dll));
        String wanted = sha256(expected);
        if (!actual.equals(wanted)) {
            throw new IOException(dll + " has SHA-256 " + actual + ", but " + entryName + " of the pinned "
                    + pin.zipName() + " has " + wanted);
        }
        return dll.toAbsolutePath();
    }

    /** Wintun's directory name for a Java {@code os.arch}. */
    public static String archOf(String osArch) {
        return switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i686" -> "x86";
            case "arm" -> "arm";
            default -> throw new IllegalArgumentException("no Wintun build for architecture " + osArch);
        };
    }

    /**
     * The installation directory: system property {@code wirefx.install.dir} if set, else the parent of the Java
     * runtime's home (a jpackage image keeps its runtime in {@code <install>\runtime}).
     */
    public static Path installDirectory() {
        String configured = System.getProperty("wirefx.install.dir");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        return Path.of(System.getProperty("java.home")).toAbsolutePath().getParent();
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing", e);
        }
    }
}
