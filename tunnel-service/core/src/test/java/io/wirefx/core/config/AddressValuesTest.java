package io.wirefx.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wirefx.core.net.IpLiterals;
import java.net.Inet6Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Addresses and prefixes in config files fail with the config's reasons, the rejected text and the cause. */
class AddressValuesTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "", "/24", "10.0.0.1/", "10.0.0.1/33", "10.0.0.300/24", "10.0.0.1/-1", "10.0.0.1/+8", "10.0.0.1/2 4",
            "10.0.0.1/24/1", "::/129", "::1/999999999999999999999999", "+10.0.0.0/8", "-10.0.0.0/8",
            "10.0.0.0/255.0.0.0", "example.com/32", "fe80::1%eth0/64",
    })
    void rejectsBadCidrs(String text) {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> Syntax.parsePrefix(text));
        assertEquals(BadConfigException.Reason.INVALID_CIDR, e.reason());
        assertEquals(text, e.value().orElseThrow());
        assertTrue(e.getCause().getMessage().contains(text), e.getCause().getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "01.2.3.4", "fe80::1%eth0", "[::1]", "::1/128", "localhost"})
    void rejectsBadAddresses(String text) {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> Syntax.parseAddress(text));
        assertEquals(BadConfigException.Reason.INVALID_ADDRESS, e.reason());
        assertEquals(text, e.value().orElseThrow());
    }

    @Test
    void scopedAddressesAreRefusedByTheBuilders() throws Exception {
        Inet6Address scoped = Inet6Address.getByAddress(null, IpLiterals.parse("fe80::1").getAddress(), 3);
        InvalidValueException e = assertThrows(InvalidValueException.class,
                () -> Interface.builder().addDnsServer(scoped));
        assertEquals(BadConfigException.Reason.INVALID_ADDRESS, e.reason());
        assertEquals(BadConfigException.Reason.INVALID_ADDRESS,
                assertThrows(InvalidValueException.class, () -> InetEndpoint.of(scoped, 1)).reason());
    }
}
