package io.wirefx.daemon.store;

import io.wirefx.ipc.OnDemandRules;
import io.wirefx.ipc.TunnelSettings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each tunnel's {@code NAME.settings.json} beside its configuration. */
class TunnelSettingsStoreTest {
    static final TunnelSettings SOME = new TunnelSettings(true, true,
            new OnDemandRules(true, false, List.of("home", "Café \"5G\"")));

    @TempDir
    Path tmp;
    Path dir;
    ConfigStore store;

    @BeforeEach
    void open() throws Exception {
        dir = tmp.resolve("tunnels");
        store = ConfigStore.open(dir);
        store.create("wg0", TestConfigs.text("wg0", 1));
    }

    @Test
    void absentMeansDefaultAndASavedValueReadsBackFromAFile0600() throws Exception {
        assertEquals(TunnelSettings.DEFAULT, store.settings("wg0"));
        assertFalse(Files.exists(dir.resolve("wg0.settings.json")));
        store.setSettings("wg0", SOME);
        assertEquals(SOME, store.settings("wg0"));
        assertEquals(SOME, ConfigStore.open(dir).settings("wg0"), "survives a reopen");
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("wg0.settings.json"))));
        assertEquals(List.of("wg0"), store.names(), "the settings file is no tunnel");
        try (var s = Files.list(dir)) {
            assertEquals(2, s.count(), "no temporary file left");
        }
        store.setSettings("wg0", TunnelSettings.DEFAULT);
        assertEquals(TunnelSettings.DEFAULT, store.settings("wg0"));
    }

    @Test
    void settingsFollowRenameGoWithDeleteAndStayOnUpdate() throws Exception {
        store.setSettings("wg0", SOME);
        store.update("wg0", TestConfigs.text("wg0", 2));
        assertEquals(SOME, store.settings("wg0"));
        store.rename("wg0", "office");
        assertEquals(SOME, store.settings("office"));
        assertFalse(Files.exists(dir.resolve("wg0.settings.json")));
        store.delete("office");
        assertFalse(Files.exists(dir.resolve("office.settings.json")));
        store.create("office", TestConfigs.text("office", 1));
        assertEquals(TunnelSettings.DEFAULT, store.settings("office"), "a new tunnel of the old name starts afresh");
    }

    @Test
    void aNewTunnelDoesNotInheritAStraySettingsFile() throws Exception {
        Files.writeString(dir.resolve("lab.settings.json"), "{\"version\":1,\"blockUntunneled\":true}");
        store.create("lab", TestConfigs.text("lab", 1));
        assertEquals(TunnelSettings.DEFAULT, store.settings("lab"));
    }

    @Test
    void aCorruptFileIsAClearErrorNamingTheFileAndTheConfigurationStaysReadable() throws Exception {
        Path f = dir.resolve("wg0.settings.json");
        for (String bad : List.of("", "{", "[]", "{\"version\":2}", "{\"version\":1,\"blockUntunneled\":\"yes\"}",
                "{\"version\":1,\"onDemand\":{\"trustedSsids\":[\"" + "x".repeat(40) + "\"]}}",
                "{\"version\":1} trailing")) {
            Files.writeString(f, bad);
            StoreException e = assertThrows(StoreException.class, () -> store.settings("wg0"), bad);
            assertEquals(StoreException.Reason.INVALID_SETTINGS, e.reason(), bad);
            assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
            assertEquals(TestConfigs.text("wg0", 1), store.read("wg0"));
        }
        store.setSettings("wg0", SOME);
        assertEquals(SOME, store.settings("wg0"), "saving again replaces the corrupt file");
    }

    @Test
    void unknownTunnelsAndNamesAreRefused() throws IOException {
        assertEquals(StoreException.Reason.NOT_FOUND,
                assertThrows(StoreException.class, () -> store.settings("nope")).reason());
        assertEquals(StoreException.Reason.NOT_FOUND,
                assertThrows(StoreException.class, () -> store.setSettings("nope", SOME)).reason());
        assertEquals(StoreException.Reason.INVALID_NAME,
                assertThrows(StoreException.class, () -> store.setSettings("../x", SOME)).reason());
        assertFalse(Files.exists(dir.resolve("nope.settings.json")));
    }

    @Test
    void theFileIsPlainJson() throws Exception {
        store.setSettings("wg0", SOME);
        String text = Files.readString(dir.resolve("wg0.settings.json"), StandardCharsets.UTF_8);
        assertTrue(text.contains("\"blockUntunneled\" : true"), text);
        assertTrue(text.contains("Café \\\"5G\\\""), text);
    }
}
