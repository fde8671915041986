package io.wirefx.platform.windows;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;

import static io.wirefx.platform.windows.WindowsService.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScmServiceHostTest {

    /** The SCM as the host sees it: dispatch runs service-main on another thread and waits for it, as Windows does. */
    static final class FakeScm implements ScmServiceHost.Scm {
        final List<String> calls = new ArrayList<>();
        final List<Integer> states = new ArrayList<>();
        final List<WindowsService.Status> reports = new ArrayList<>();
        volatile IntUnaryOperator handler;
        boolean console;

        @Override
        public void dispatch(String serviceName, Runnable serviceMain) throws WindowsException {
            if (console) {
                throw new WindowsException("StartServiceCtrlDispatcherW",
                        ScmServiceHost.ERROR_FAILED_SERVICE_CONTROLLER_CONNECT);
            }
            record("dispatch " + serviceName);
            Thread t = new Thread(serviceMain, "scm-service-main");
            t.start();
            try {
                t.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public void registerHandler(String serviceName, IntUnaryOperator h) {
            record("handler " + serviceName);
            handler = h;
        }

        @Override
        public synchronized void report(WindowsService.Status status) {
            reports.add(status);
            states.add(status.state());
        }

        @Override
        public void install(WindowsService.Registration r) {
            record("install " + r.name() + " " + r.commandLine() + " " + r.dependencies());
        }

        @Override
        public void uninstall(String serviceName) {
            record("uninstall " + serviceName);
        }

        synchronized void record(String call) {
            calls.add(call);
        }

        synchronized List<Integer> states() {
            return List.copyOf(states);
        }
    }

    final FakeScm scm = new FakeScm();
    final List<String> log = new ArrayList<>();
    final ScmServiceHost host = new ScmServiceHost(scm, "WireFX", log::add);

    @Test
    void runsTheServiceFromServiceMainAndReportsItsLifeAndTheStopControl() throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        host.onStopRequest(stop::countDown);
        CountDownLatch running = new CountDownLatch(1);
        List<String> serviceThread = new ArrayList<>();
        Thread controller = new Thread(() -> {
            try {
                assertTrue(running.await(5, TimeUnit.SECONDS));
                assertEquals(ERROR_CALL_NOT_IMPLEMENTED, scm.handler.applyAsInt(2 /* PAUSE */));
                assertEquals(NO_ERROR, scm.handler.applyAsInt(SERVICE_CONTROL_INTERROGATE));
                assertEquals(NO_ERROR, scm.handler.applyAsInt(SERVICE_CONTROL_STOP)); // sc.exe stop WireFX
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        controller.start();
        int exit = host.run(() -> {
            serviceThread.add(Thread.currentThread().getName());
            host.ready();
            running.countDown();
            try {
                if (!stop.await(5, TimeUnit.SECONDS)) {
                    return 9;
                }
            } catch (InterruptedException e) {
                return 8;
            }
            host.stopping();
            return 0;
        });
        controller.join();
        assertEquals(0, exit);
        assertEquals(List.of("scm-service-main"), serviceThread, "the service runs in the SCM's service-main");
        assertEquals(List.of("dispatch WireFX", "handler WireFX"), scm.calls);
        List<Integer> states = scm.states();
        assertEquals(List.of(SERVICE_START_PENDING, SERVICE_RUNNING), states.subList(0, 2));
        assertEquals(SERVICE_STOP_PENDING, (int) states.get(2), "the stop control reports STOP_PENDING at once");
        assertEquals(SERVICE_STOPPED, (int) states.getLast());
        assertTrue(states.subList(2, states.size() - 1).stream().allMatch(s -> s == SERVICE_STOP_PENDING));
        assertEquals(new Status(SERVICE_STOPPED, 0, NO_ERROR, 0, 0, 0), scm.reports.getLast());
        assertEquals(SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN, scm.reports.get(1).accepted());
        assertTrue(host.describe().contains("SCM"), host.describe());
        assertFalse(host.keepsOutput(), "no console under the SCM: the service logs to a file");
    }

    @Test
    void shutdownBeforeTheStopActionIsRegisteredStillStopsAndAFailureIsReported() {
        int exit = host.run(() -> {
            host.ready();
            assertEquals(NO_ERROR, scm.handler.applyAsInt(SERVICE_CONTROL_SHUTDOWN));
            CountDownLatch stop = new CountDownLatch(1);
            host.onStopRequest(stop::countDown);
            assertEquals(0, stop.getCount(), "a stop requested earlier runs the action on registration");
            return 3;
        });
        assertEquals(3, exit);
        assertEquals(new Status(SERVICE_STOPPED, 0, ERROR_SERVICE_SPECIFIC_ERROR, 3, 0, 0), scm.reports.getLast());
    }

    @Test
    void fromAConsoleTheServiceRunsDirectlyAndNothingIsReported() {
        scm.console = true;
        List<String> thread = new ArrayList<>();
        int exit = host.run(() -> {
            thread.add(Thread.currentThread().getName());
            host.ready();
            host.stopping();
            return 0;
        });
        assertEquals(0, exit);
        assertEquals(List.of(Thread.currentThread().getName()), thread);
        assertEquals(List.of(), scm.reports);
        assertTrue(host.describe().startsWith("console"), host.describe());
        assertTrue(host.keepsOutput(), "from a console, stderr is seen");
    }

    @Test
    void installRegistersTheQuotedCommandAndUninstallDeletesTheService() throws Exception {
        host.install(List.of("C:\\Program Files\\WireFX\\runtime\\bin\\java.exe", "-cp",
                "C:\\Program Files\\WireFX\\lib\\*", "io.wirefx.daemon.service.ServiceMain", "--allow-scripts"));
        host.uninstall();
        assertEquals(List.of("install WireFX \"C:\\Program Files\\WireFX\\runtime\\bin\\java.exe\" \"-cp\" "
                        + "\"C:\\Program Files\\WireFX\\lib\\*\" \"io.wirefx.daemon.service.ServiceMain\" "
                        + "\"--allow-scripts\" [Nsi, TcpIp]", "uninstall WireFX"), scm.calls);
        assertThrows(IllegalArgumentException.class, () -> host.install(List.of()));
    }
}
