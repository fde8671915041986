package io.wirefx.engine.bind;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.SocketException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NioUdpBindTest extends UdpBindContract {

    @Override
    protected UdpBind open(int port) throws IOException {
        return NioUdpBind.open(port);
    }

    @Test
    void fwmarkIsUnsupportedExceptZero() throws Exception {
        try (UdpBind b = open(0)) {
            assertFalse(b.supportsFwmark());
            b.setFwmark(0);
            assertThrows(SocketException.class, () -> b.setFwmark(1));
            assertEquals(0, b.fwmark());
        }
    }
}
