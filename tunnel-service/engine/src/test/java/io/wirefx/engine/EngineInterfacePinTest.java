package io.wirefx.engine;

import io.wirefx.engine.bind.DatagramBatch;
import io.wirefx.engine.bind.NioUdpBind;
import io.wirefx.engine.bind.UdpBind;
import io.wirefx.tun.memory.MemoryTun;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The engine keeps the interface pin of its UDP sockets (Windows full tunnel) across start and rebinds. */
class EngineInterfacePinTest {

    /** A real loopback bind that records the pins it is asked for instead of calling Windows. */
    static final class PinRecordingBind implements UdpBind {
        final UdpBind real;
        final List<String> pins;

        PinRecordingBind(UdpBind real, List<String> pins) {
            this.real = real;
            this.pins = pins;
        }

        @Override
        public void bindToInterface(int ipv4IfIndex, int ipv6IfIndex) {
            pins.add(real.localPort() + ": " + ipv4IfIndex + "/" + ipv6IfIndex);
        }

        @Override
        public int receive(DatagramBatch batch) throws IOException {
            return real.receive(batch);
        }

        @Override
        public int send(DatagramBatch batch) throws IOException {
            return real.send(batch);
        }

        @Override
        public int localPort() {
            return real.localPort();
        }

        @Override
        public boolean hasIpv6() {
            return real.hasIpv6();
        }

        @Override
        public boolean hasIpv4() {
            return real.hasIpv4();
        }

        @Override
        public void setFwmark(int mark) throws IOException {
            real.setFwmark(mark);
        }

        @Override
        public int fwmark() {
            return real.fwmark();
        }

        @Override
        public boolean supportsFwmark() {
            return real.supportsFwmark();
        }

        @Override
        public Stats stats() {
            return real.stats();
        }

        @Override
        public void close() {
            real.close();
        }

        @Override
        public boolean isOpen() {
            return real.isOpen();
        }
    }

    @Test
    void thePinIsAppliedAtStartNowAndToEveryNewBind() throws Exception {
        List<String> pins = new ArrayList<>();
        try (WireGuardEngine e = WireGuardEngine.builder(new MemoryTun("pin0", 1420))
                .bindFactory(port -> new PinRecordingBind(NioUdpBind.open(port), pins)).build()) {
            e.bindToInterface(7, 0); // before start: remembered
            assertEquals(List.of(), pins);
            e.start();
            int first = e.listenPort();
            assertEquals(List.of(first + ": 7/0"), pins);
            e.bindToInterface(0, 9); // 0 leaves IPv4 as it is
            assertEquals(first + ": 0/9", pins.getLast());
            int second = e.setListenPort(0); // a new socket on another free port
            assertEquals(second + ": 7/9", pins.getLast(), "the new socket gets both pins");
        }
    }

    @Test
    void thePortableBindRefusesToPinOffWindows() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(io.wirefx.engine.bind.windows.UnicastIf.supported());
        try (WireGuardEngine e = WireGuardEngine.builder(new MemoryTun("pin1", 1420))
                .bindFactory(NioUdpBind::open).build()) {
            e.start();
            assertThrows(SocketException.class, () -> e.bindToInterface(3, 3));
        }
    }
}
