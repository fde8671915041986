package io.wirefx.daemon.run;

import io.wirefx.engine.WireGuardEngine;
import io.wirefx.engine.bind.NioUdpBind;
import io.wirefx.engine.bind.UdpBind;
import io.wirefx.platform.TunnelControl;
import io.wirefx.tun.memory.MemoryTun;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The network configuration's pin request reaches the engine's UDP sockets through the daemon's tunnel. */
class EngineTunnelPinTest {

    /** A real loopback bind whose {@code bindToInterface} is recorded instead of calling Windows. */
    static UdpBind recording(UdpBind real, List<String> pins) {
        return (UdpBind) Proxy.newProxyInstance(UdpBind.class.getClassLoader(), new Class<?>[]{UdpBind.class},
                (proxy, m, args) -> {
                    if (m.getName().equals("bindToInterface")) {
                        pins.add(args[0] + "/" + args[1]);
                        return null;
                    }
                    try {
                        return m.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void bindToInterfacePinsTheEnginesSockets() throws Exception {
        List<String> pins = new ArrayList<>();
        MemoryTun tun = new MemoryTun("pin-d", 1420);
        WireGuardEngine engine = WireGuardEngine.builder(tun)
                .bindFactory(port -> recording(NioUdpBind.open(port), pins)).build();
        try (EngineTunnelFactory.EngineTunnel tunnel = new EngineTunnelFactory.EngineTunnel(engine, tun)) {
            engine.start();
            TunnelControl control = tunnel;
            control.bindToInterface(12, 0);
            control.bindToInterface(0, 14);
            assertEquals(List.of("12/0", "0/14"), pins);
        }
    }

    @Test
    void aTunnelControlWithoutThePinSaysSo() {
        TunnelControl plain = new TunnelControl() {
            @Override
            public String interfaceName() {
                return "x";
            }

            @Override
            public void setFwmark(long mark) {
            }

            @Override
            public List<java.net.InetAddress> endpointAddresses() {
                return List.of();
            }
        };
        assertThrows(UnsupportedOperationException.class, () -> plain.bindToInterface(1, 1));
    }
}
