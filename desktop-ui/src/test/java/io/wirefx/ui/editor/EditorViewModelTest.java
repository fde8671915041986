package io.wirefx.ui.editor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wirefx.core.config.Config;
import io.wirefx.core.crypto.Key;
import io.wirefx.core.crypto.KeyPair;
import io.wirefx.ipc.ConfigError;
import io.wirefx.ipc.ErrorCode;
import io.wirefx.ui.FakeService;
import io.wirefx.ui.TestTexts;
import io.wirefx.ui.service.ServiceException;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class EditorViewModelTest {
    private final FakeService service = new FakeService();

    private EditorViewModel newTunnel() {
        return EditorViewModel.forNew(service, Runnable::run, TestTexts.BUNDLE, new Random(7), "wg0");
    }

    @Test
    void newTunnelHasAFreshValidKeyAndShowsItsPublicKey() throws Exception {
        EditorViewModel vm = newTunnel();
        assertNull(vm.problemProperty().get(), "the template parses");
        Config c = Config.parse(vm.textProperty().get());
        assertEquals(c.iface().publicKey().toBase64(), vm.publicKeyProperty().get());
        assertTrue(vm.isNew());
        assertTrue(vm.isDirty(), "a new tunnel is unsaved until saved");
        assertTrue(vm.canSaveBinding().get());
        EditorViewModel other = EditorViewModel.forNew(service, Runnable::run, TestTexts.BUNDLE, new Random(8), "x");
        assertFalse(other.textProperty().get().equals(vm.textProperty().get()), "each new tunnel gets its own key");
    }

    @Test
    void publicKeyFollowsThePrivateKeyLineLive() {
        EditorViewModel vm = newTunnel();
        KeyPair pair = TestTexts.keys(99);
        vm.textProperty().set("[Interface]\n  privatekey=" + pair.privateKey().toBase64() + "  # mine\n");
        assertEquals(pair.publicKey().toBase64(), vm.publicKeyProperty().get());
        vm.textProperty().set("[Interface]\nPrivateKey = not-a-key\n");
        assertEquals("", vm.publicKeyProperty().get());
        assertNotNull(vm.problemProperty().get());
    }

    @Test
    void errorIsReportedAtItsLineAndSaveIsRefused() {
        EditorViewModel vm = newTunnel();
        String text = vm.textProperty().get().replace("Address = \n", "Address = 10.0.0.300/24\n");
        vm.textProperty().set(text);
        ConfigProblem p = vm.problemProperty().get();
        assertNotNull(p);
        assertEquals(3, p.line());
        assertEquals("Line 3: [Interface] Address: not a valid address range (IP/prefix) (\u201c10.0.0.300/24\u201d)",
                p.message());
        assertFalse(vm.canSaveBinding().get());
        assertFalse(vm.save().join());
        assertTrue(service.calls.isEmpty(), "nothing sent while invalid");
        vm.textProperty().set(text.replace("10.0.0.300/24", "10.0.0.3/24"));
        assertNull(vm.problemProperty().get());
        assertTrue(vm.canSaveBinding().get());
    }

    @Test
    void unknownKeyAndMissingSectionAreLocated() {
        EditorViewModel vm = newTunnel();
        vm.textProperty().set(vm.textProperty().get() + "Bogus = 1\n");
        assertEquals(4, vm.problemProperty().get().line());
        assertEquals("Line 4: [Interface] Bogus: unknown key", vm.problemProperty().get().message());
        vm.textProperty().set("");
        assertEquals(0, vm.problemProperty().get().line());
        assertEquals("[Interface]: no [Interface] section", vm.problemProperty().get().message());
    }

    @Test
    void invalidNamesAreRefused() {
        EditorViewModel vm = newTunnel();
        vm.nameProperty().set("");
        assertEquals("Enter a name.", vm.nameProblemProperty().get());
        assertFalse(vm.canSaveBinding().get());
        vm.nameProperty().set("this-name-is-too-long-for-a-tunnel");
        assertNotNull(vm.nameProblemProperty().get());
        vm.nameProperty().set("NUL");
        assertNotNull(vm.nameProblemProperty().get());
        vm.nameProperty().set("has space");
        assertNotNull(vm.nameProblemProperty().get());
        vm.nameProperty().set("wg-home");
        assertNull(vm.nameProblemProperty().get());
        assertTrue(vm.canSaveBinding().get());
    }

    @Test
    void savingANewTunnelCreatesItAndClearsDirty() {
        EditorViewModel vm = newTunnel();
        assertTrue(vm.save().join());
        assertEquals(List.of("create wg0"), service.calls);
        assertEquals(vm.textProperty().get(), service.texts.get("wg0"));
        assertFalse(vm.isDirty());
        assertFalse(vm.isNew());
        assertFalse(vm.canSaveBinding().get(), "nothing to save");
    }

    @Test
    void editingTracksDirtyAndSavesUpdateThenRename() {
        String text = TestTexts.conf(1);
        service.texts.put("home", text);
        EditorViewModel vm = EditorViewModel.forExisting(service, Runnable::run, TestTexts.BUNDLE, "home", text);
        assertFalse(vm.isDirty());
        assertFalse(vm.canSaveBinding().get());
        vm.textProperty().set(text.replace("MTU = 1420", "MTU = 1380"));
        assertTrue(vm.isDirty());
        vm.textProperty().set(text);
        assertFalse(vm.isDirty(), "back to the saved text");
        vm.textProperty().set(text.replace("MTU = 1420", "MTU = 1380"));
        vm.nameProperty().set("office");
        assertTrue(vm.save().join());
        assertEquals(List.of("update home", "rename home office"), service.calls);
        assertTrue(service.texts.get("office").contains("MTU = 1380"));
        assertEquals("office", vm.savedNameProperty().get());
        assertFalse(vm.isDirty());
    }

    @Test
    void serviceRejectionIsShownAndKeepsTheChanges() {
        String text = TestTexts.conf(1);
        service.texts.put("home", text);
        service.states.put("home", io.wirefx.ipc.TunnelState.RUNNING);
        EditorViewModel vm = EditorViewModel.forExisting(service, Runnable::run, TestTexts.BUNDLE, "home", text);
        vm.nameProperty().set("other");
        assertFalse(vm.save().join());
        assertEquals(ErrorCode.WRONG_STATE.defaultMessage(), vm.saveErrorProperty().get());
        assertTrue(vm.isDirty(), "the rename did not happen: still unsaved");
    }

    @Test
    void serviceConfigErrorIsShownAtItsLine() {
        // A service that validates more strictly than the local parser: its located error wins.
        FakeService strict = new FakeService() {
            @Override
            public CompletableFuture<Void> create(String name, String t) {
                return CompletableFuture.failedFuture(new ServiceException(ErrorCode.INVALID_CONFIG, "bad",
                        new ConfigError(2, "INTERFACE", "PrivateKey", "INVALID_KEY", "line 2")));
            }
        };
        EditorViewModel vm = EditorViewModel.forNew(strict, Runnable::run, TestTexts.BUNDLE, new Random(1), "wg0");
        assertFalse(vm.save().join());
        assertEquals(2, vm.problemProperty().get().line());
        assertEquals("Line 2: [Interface] PrivateKey: not a valid key (44 characters of Base64)",
                vm.problemProperty().get().message());
    }

    @Test
    void notConnectedSaysSo() {
        service.setConnection(new io.wirefx.ui.service.ConnectionState(
                io.wirefx.ui.service.ConnectionState.Status.UNREACHABLE, null, java.nio.file.Path.of("/x"), "gone"));
        EditorViewModel vm = newTunnel();
        assertFalse(vm.save().join());
        assertEquals("Not saved: the WireFX service is not connected.", vm.saveErrorProperty().get());
        assertTrue(vm.isDirty());
    }

    @Test
    void derivePublicKeyIgnoresCommentsAndCase() {
        KeyPair pair = TestTexts.keys(5);
        try (Key priv = Key.fromBase64(pair.privateKey().toBase64())) {
            assertEquals(pair.publicKey().toBase64(),
                    EditorViewModel.derivePublicKey("# x\n[INTERFACE]\nPRIVATEKEY = " + priv.toBase64() + "#c"));
        }
        assertEquals("", EditorViewModel.derivePublicKey("[Interface]\n"));
    }

    @Test
    void savingARunningTunnelStopsStoresAndStartsItAgain() throws Exception {
        service.texts.put("wg1", TestTexts.conf(1));
        service.setState("wg1", io.wirefx.ipc.TunnelState.RUNNING, null);
        EditorViewModel vm = EditorViewModel.forExisting(service, Runnable::run, TestTexts.BUNDLE, "wg1",
                TestTexts.conf(1));
        // The window binds this to the list's item; here the service's events drive it.
        service.addListener(new io.wirefx.ui.service.ServiceClient.Listener() {
            @Override
            public void onConnectionChanged(io.wirefx.ui.service.ConnectionState state) {
            }

            @Override
            public void onEvent(io.wirefx.ipc.Event event) {
                if (event instanceof io.wirefx.ipc.Event.TunnelStateChanged c && c.name().equals("wg1")) {
                    vm.tunnelStateProperty().set(c.state());
                }
            }
        });
        vm.tunnelStateProperty().set(io.wirefx.ipc.TunnelState.RUNNING);
        assertTrue(vm.restartOnSaveBinding().get(), "offers save and restart");
        vm.textProperty().set(TestTexts.conf(1).replace("MTU = 1420", "MTU = 1380"));
        vm.nameProperty().set("wg1b");
        service.calls.clear();
        assertTrue(vm.save().get());
        assertEquals(List.of("stop wg1", "update wg1", "rename wg1 wg1b", "start wg1b"), service.calls);
        assertTrue(service.texts.get("wg1b").contains("MTU = 1380"));
        assertEquals(io.wirefx.ipc.TunnelState.RUNNING, service.states.get("wg1b"));
        assertFalse(vm.isDirty());

        vm.tunnelStateProperty().set(io.wirefx.ipc.TunnelState.STOPPED);
        assertFalse(vm.restartOnSaveBinding().get(), "a stopped tunnel is just saved");
    }
}
