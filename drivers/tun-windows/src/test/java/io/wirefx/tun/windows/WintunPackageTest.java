package io.wirefx.tun.windows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WintunPackageTest {

    @TempDir
    Path dir;

    private static final byte[] DLL = "MZ pretend wintun".getBytes();

    private WintunPackage.Pin writeZip(byte[] dll) throws IOException {
        Path zip = dir.resolve("wintun-9.9.zip");
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry("wintun/bin/amd64/wintun.dll"));
            z.write(dll);
            z.closeEntry();
            z.putNextEntry(new ZipEntry("wintun/bin/arm64/wintun.dll"));
            z.write("arm".getBytes());
            z.closeEntry();
        }
        return new WintunPackage.Pin("9.9", WintunPackage.sha256(Files.readAllBytes(zip)));
    }

    @Test
    void writesTheDllFromThePinnedArchiveWhenMissing() throws Exception {
        WintunPackage.Pin pin = writeZip(DLL);
        Path dll = WintunPackage.verify(dir, pin, "amd64");
        assertEquals(dir.resolve("wintun.dll"), dll);
        assertArrayEquals(DLL, Files.readAllBytes(dll));
        assertEquals(dll, WintunPackage.verify(dir, pin, "amd64"), "a matching DLL is accepted");
    }

    @Test
    void refusesAnArchiveThatDoesNotMatchThePin() throws Exception {
        writeZip(DLL);
        WintunPackage.Pin wrong = new WintunPackage.Pin("9.9", "00".repeat(32));
        IOException e = assertThrows(IOException.class, () -> WintunPackage.verify(dir, wrong, "amd64"));
        assertTrue(e.getMessage().contains("pinned"), e.getMessage());
    }

    @Test
    void refusesAPlantedDll() throws Exception {
        WintunPackage.Pin pin = writeZip(DLL);
        Files.write(dir.resolve("wintun.dll"), "MZ evil".getBytes());
        IOException e = assertThrows(IOException.class, () -> WintunPackage.verify(dir, pin, "amd64"));
        assertTrue(e.getMessage().contains("wintun/bin/amd64/wintun.dll"), e.getMessage());
    }

    @Test
    void refusesALinkAndARelativeDirectory() throws Exception {
        WintunPackage.Pin pin = writeZip(DLL);
        Path real = Files.write(dir.resolve("elsewhere.dll"), DLL);
        Files.createSymbolicLink(dir.resolve("wintun.dll"), real);
        assertThrows(IOException.class, () -> WintunPackage.verify(dir, pin, "amd64"));
        assertThrows(IOException.class, () -> WintunPackage.verify(Path.of("relative"), pin, "amd64"));
    }

    @Test
    void mapsJavaArchitectures() {
        assertEquals("amd64", WintunPackage.archOf("amd64"));
        assertEquals("arm64", WintunPackage.archOf("aarch64"));
        assertThrows(IllegalArgumentException.class, () -> WintunPackage.archOf("riscv64"));
    }

    @Test
    void thePinIsWireguardWindowsReleaseArchive() {
        assertEquals("wintun-0.14.1.zip", WintunPackage.PINNED.zipName());
        assertEquals(64, WintunPackage.PINNED.zipSha256().length());
    }
}
