package io.wirefx.ui.importing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wirefx.ui.FakeService;
import io.wirefx.ui.TestTexts;
import io.wirefx.ui.service.ConnectionState;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportViewModelTest {
    private final FakeService service = new FakeService();
    private final ImportViewModel vm = new ImportViewModel(service, Runnable::run, Runnable::run, TestTexts.BUNDLE);
    @TempDir
    Path dir;

    private Path file(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void confFileIsImportedUnderItsFileName() throws Exception {
        List<ImportResultRow> rows = vm.importFiles(List.of(file("wg-home.conf", TestTexts.conf(1)))).join();
        assertEquals(List.of(new ImportResultRow("wg-home.conf", "wg-home", true,
                "Imported as \u201cwg-home\u201d", 0)), rows);
        assertEquals(rows, vm.results());
        assertTrue(service.texts.containsKey("wg-home"));
        assertFalse(vm.busyProperty().get());
    }

    @Test
    void invalidConfReportsItsLine() throws Exception {
        String bad = TestTexts.conf(1).replace("DNS = 10.8.0.1", "DNS = not an ip!");
        ImportResultRow row = vm.importFiles(List.of(file("bad.conf", bad))).join().getFirst();
        assertFalse(row.ok());
        assertEquals(4, row.line());
        assertTrue(row.message().startsWith("Line 4: [Interface] DNS: "), row.message());
    }

    @Test
    void eachFileGetsItsOwnResult() throws Exception {
        service.texts.put("dup", TestTexts.conf(5));
        List<ImportResultRow> rows = vm.importFiles(List.of(
                file("ok1.conf", TestTexts.conf(1)),
                file("dup.conf", TestTexts.conf(2)),
                file("notes.txt", "hello"),
                file("this-name-is-far-too-long.conf", TestTexts.conf(3)),
                Files.write(dir.resolve("latin1.conf"), new byte[] {'[', (byte) 0xE9, ']'}),
                dir.resolve("missing.conf"))).join();
        assertEquals(6, rows.size());
        assertTrue(rows.get(0).ok());
        assertEquals("A tunnel named \u201cdup\u201d exists already.", rows.get(1).message());
        assertEquals("Not a .conf or .zip file.", rows.get(2).message());
        assertTrue(rows.get(3).message().startsWith("The file name is not a valid tunnel name"));
        assertEquals("Not UTF-8 text.", rows.get(4).message());
        assertTrue(rows.get(5).message().startsWith("Cannot read the file: "));
    }

    @Test
    void zipEntriesAreReportedOneByOne() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("a.conf"));
            zip.write(TestTexts.conf(1).getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("b.conf"));
            zip.write("[Interface]\nPrivateKey = nope\n".getBytes(StandardCharsets.UTF_8));
        }
        Path z = Files.write(dir.resolve("all.zip"), bytes.toByteArray());
        List<ImportResultRow> rows = vm.importFiles(List.of(z)).join();
        assertEquals(2, rows.size());
        assertTrue(rows.get(0).ok());
        assertEquals("a", rows.get(0).tunnel());
        assertFalse(rows.get(1).ok());
        assertEquals(2, rows.get(1).line());
        assertEquals("Line 2: [Interface] PrivateKey: not a valid key (44 characters of Base64)",
                rows.get(1).message());
    }

    @Test
    void tooLargeFilesAreNotSent() throws Exception {
        Path big = Files.write(dir.resolve("big.conf"), new byte[io.wirefx.core.config.Config.MAX_TEXT_LENGTH + 1]);
        assertEquals("The file is too large.", vm.importFiles(List.of(big)).join().getFirst().message());
        assertTrue(service.calls.isEmpty());
    }

    @Test
    void notConnectedIsReportedPerFile() throws Exception {
        service.setConnection(new ConnectionState(ConnectionState.Status.UNREACHABLE, null, Path.of("/s"), null));
        ImportResultRow row = vm.importFiles(List.of(file("x.conf", TestTexts.conf(1)))).join().getFirst();
        assertEquals("The WireFX service is not connected.", row.message());
    }

    @Test
    void importableByExtension() {
        assertTrue(ImportViewModel.isImportable(Path.of("/a/WG0.CONF")));
        assertTrue(ImportViewModel.isImportable(Path.of("x.zip")));
        assertFalse(ImportViewModel.isImportable(Path.of("x.txt")));
    }
}
