package io.wirefx.platform.windows;

import io.wirefx.platform.ConfigProtection;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Windows store protection around a stand-in cipher (real DPAPI: {@code WindowsSystemTest}). */
class DpapiConfigProtectionTest {

    /** A reversible stand-in for DPAPI: description length, description, then the bytes XORed. */
    static final class XorProtector implements ConfigProtector {
        @Override
        public byte[] protect(byte[] plain, String description) {
            byte[] d = description.getBytes(StandardCharsets.UTF_8);
            ByteBuffer b = ByteBuffer.allocate(4 + d.length + plain.length).putInt(d.length).put(d);
            for (byte x : plain) {
                b.put((byte) (x ^ 0x5a));
            }
            return b.array();
        }

        @Override
        public Unprotected unprotect(byte[] cipher) {
            ByteBuffer b = ByteBuffer.wrap(cipher);
            byte[] d = new byte[b.getInt()];
            b.get(d);
            byte[] plain = new byte[b.remaining()];
            for (int i = 0; i < plain.length; i++) {
                plain[i] = (byte) (b.get() ^ 0x5a);
            }
            return new Unprotected(plain, new String(d, StandardCharsets.UTF_8));
        }
    }

    static final byte[] CONF = "[Interface]\nPrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n"
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void sealsWithTheTunnelNameAndOpensUnderIt() throws Exception {
        DpapiConfigProtection p = new DpapiConfigProtection(new XorProtector());
        byte[] sealed = p.seal("office", CONF);
        assertEquals("office", new XorProtector().unprotect(sealed).description(), "the name is the description");
        assertArrayEquals(CONF, p.open("office", sealed));
        assertEquals(".conf.dpapi", p.fileSuffix());
    }

    @Test
    void aFileSealedForAnotherTunnelIsRefused() throws Exception {
        DpapiConfigProtection p = new DpapiConfigProtection(new XorProtector());
        byte[] sealed = p.seal("office", CONF);
        IOException e = assertThrows(IOException.class, () -> p.open("home", sealed));
        assertTrue(e.getMessage().contains("\"office\"") && e.getMessage().contains("\"home\""), e.getMessage());
    }

    @Test
    void theWindowsPlatformSealsWithDpapi() {
        ConfigProtection p = new WindowsPlatform().configProtection();
        assertInstanceOf(DpapiConfigProtection.class, p);
        assertEquals(".conf.dpapi", p.fileSuffix());
    }
}
