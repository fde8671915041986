package io.wirefx.ui.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wirefx.ipc.Role;
import io.wirefx.ui.FakeService;
import io.wirefx.ui.TestTexts;
import io.wirefx.ui.service.ConnectionState;
import io.wirefx.ui.service.ConnectionState.Status;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConnectionViewModelTest {
    private static final Path SOCKET = Path.of("/run/wirefx/wirefx.sock");
    private final FakeService service = new FakeService();
    private final ConnectionViewModel vm = new ConnectionViewModel(service, Runnable::run, TestTexts.BUNDLE);

    private void set(Status s) {
        service.setConnection(new ConnectionState(s, null, SOCKET, "detail"));
    }

    @Test
    void adminConnectionHidesTheBanner() {
        assertFalse(vm.visibleProperty().get());
        assertEquals(ConnectionViewModel.Severity.NONE, vm.severityProperty().get());
    }

    @Test
    void serviceDownSaysHowToStartIt() {
        set(Status.UNREACHABLE);
        assertTrue(vm.visibleProperty().get());
        assertEquals(ConnectionViewModel.Severity.ERROR, vm.severityProperty().get());
        assertEquals("The WireFX service is not running", vm.titleProperty().get());
        assertTrue(vm.helpProperty().get().contains("sudo systemctl start wirefx"));
        assertTrue(vm.helpProperty().get().contains(SOCKET.toString()));
        assertTrue(vm.retryableProperty().get());
        vm.retry();
        assertEquals("reconnect", service.calls.getLast());
    }

    @Test
    void refusedUserIsToldToJoinTheGroup() {
        for (Status s : new Status[] {Status.ACCESS_DENIED, Status.PERMISSION_DENIED}) {
            set(s);
            assertEquals("The WireFX service refused this user", vm.titleProperty().get());
            assertTrue(vm.helpProperty().get().contains("sudo usermod -aG wirefx $USER"), vm.helpProperty().get());
        }
    }

    @Test
    void otherFailures() {
        set(Status.INCOMPATIBLE);
        assertTrue(vm.helpProperty().get().contains("(detail)"));
        set(Status.BUSY);
        assertEquals(ConnectionViewModel.Severity.WARNING, vm.severityProperty().get());
        set(Status.CONNECTING);
        assertEquals(ConnectionViewModel.Severity.INFO, vm.severityProperty().get());
        assertFalse(vm.retryableProperty().get());
    }

    @Test
    void operatorModeIsANoticeThatCanBeDismissed() {
        service.setConnection(ConnectionState.connected(SOCKET, Role.OPERATOR));
        assertTrue(vm.visibleProperty().get());
        assertEquals("Operator mode", vm.titleProperty().get());
        vm.dismiss();
        assertFalse(vm.visibleProperty().get());
        set(Status.UNREACHABLE);
        vm.dismiss(); // errors stay
        assertTrue(vm.visibleProperty().get());
        service.setConnection(ConnectionState.connected(SOCKET, Role.OPERATOR));
        assertFalse(vm.visibleProperty().get(), "dismissed once is enough");
    }
}
