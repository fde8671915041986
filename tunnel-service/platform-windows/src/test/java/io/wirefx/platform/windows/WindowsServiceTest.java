package io.wirefx.platform.windows;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.wirefx.platform.windows.WindowsService.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WindowsServiceTest {

    @Test
    void registrationQuotesEveryPathAndListsDependencies() {
        Registration r = WindowsService.registration("C:\\Program Files\\WireFX\\runtime\\bin\\java.exe",
                List.of("-Dwirefx.install.dir=C:\\Program Files\\WireFX\\", "-m", "wirefx.service/io.wirefx.Main",
                        "service"));
        assertEquals("\"C:\\Program Files\\WireFX\\runtime\\bin\\java.exe\" "
                + "\"-Dwirefx.install.dir=C:\\Program Files\\WireFX\\\\\" \"-m\" \"wirefx.service/io.wirefx.Main\" "
                + "\"service\"", r.commandLine());
        assertEquals("Nsi\0TcpIp\0", r.dependencyList());
        assertEquals("WireFX", r.name());
        assertThrows(IllegalArgumentException.class, () -> WindowsService.registration("a\"b", List.of()));
    }

    @Test
    void lifecycleReportsWhatTheScmExpects() {
        Lifecycle l = new Lifecycle();
        Status s1 = l.starting();
        Status s2 = l.starting();
        assertEquals(SERVICE_START_PENDING, s1.state());
        assertEquals(0, s1.accepted(), "no controls while starting");
        assertTrue(s2.checkPoint() > s1.checkPoint(), "progress while pending");
        Status run = l.running();
        assertEquals(SERVICE_RUNNING, run.state());
        assertEquals(SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN, run.accepted());
        assertEquals(new ControlResult(NO_ERROR, false), l.control(SERVICE_CONTROL_INTERROGATE));
        assertEquals(new ControlResult(ERROR_CALL_NOT_IMPLEMENTED, false), l.control(2 /* PAUSE */));
        assertEquals(new ControlResult(NO_ERROR, true), l.control(SERVICE_CONTROL_SHUTDOWN));
        assertFalse(l.control(SERVICE_CONTROL_STOP).beginStop(), "stop begins once");
        assertEquals(SERVICE_STOP_PENDING, l.stopping().state());
        assertEquals(new Status(SERVICE_STOPPED, 0, NO_ERROR, 0, 0, 0), l.stopped(0));
        assertEquals(new Status(SERVICE_STOPPED, 0, ERROR_SERVICE_SPECIFIC_ERROR, 3, 0, 0), l.stopped(3));
    }
}
