package io.wirefx.tun.macos;

import com.sun.jna.Structure;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Every JNA structure of the driver against the macOS layout (identical on x86-64 and arm64: only naturally aligned
 * 1/2/4-byte fields and char arrays), and the ioctl numbers against the {@code sys/ioccom.h} formula.
 *
 * <p>Sources: XNU {@code bsd/sys/kern_control.h} ({@code struct ctl_info}: {@code u_int32_t ctl_id;
 * char ctl_name[MAX_KCTL_NAME]} with {@code MAX_KCTL_NAME} 96; {@code struct sockaddr_ctl}: {@code u_char sc_len;
 * u_char sc_family; u_int16_t ss_sysaddr; u_int32_t sc_id; u_int32_t sc_unit; u_int32_t sc_reserved[5]};
 * {@code CTLIOCGINFO _IOWR('N', 3, struct ctl_info)}), XNU {@code bsd/net/if.h} ({@code struct ifreq}:
 * {@code char ifr_name[IFNAMSIZ]} then a union of at most 16 bytes, {@code ifr_mtu} an {@code int} at its start),
 * XNU {@code bsd/sys/sockio.h} ({@code SIOCGIFMTU _IOWR('i', 51, struct ifreq)},
 * {@code SIOCSIFMTU _IOW('i', 52, struct ifreq)}), and the platform reference §1.1–1.2. wireguard-go's
 * {@code tun_darwin.go} uses the same sizes (its {@code sockaddrCtl} is 32 bytes).
 */
class UtunLayoutTest {

    private static int offset(Structure s, String field) {
        return new Object() {
            int of() {
                return switch (s) {
                    case SockaddrCtlProbe p -> p.off(field);
                    case CtlInfoProbe p -> p.off(field);
                    case IfReqProbe p -> p.off(field);
                    default -> throw new IllegalArgumentException();
                };
            }
        }.of();
    }

    static final class SockaddrCtlProbe extends SockaddrCtl {
        int off(String f) {
            return fieldOffset(f);
        }
    }

    static final class CtlInfoProbe extends CtlInfo {
        int off(String f) {
            return fieldOffset(f);
        }
    }

    static final class IfReqProbe extends IfReqMtu {
        int off(String f) {
            return fieldOffset(f);
        }
    }

    @Test
    void sockaddrCtlIs32Bytes() {
        SockaddrCtlProbe s = new SockaddrCtlProbe();
        assertEquals(32, s.size());
        assertEquals(0, offset(s, "sc_len"));
        assertEquals(1, offset(s, "sc_family"));
        assertEquals(2, offset(s, "ss_sysaddr"));
        assertEquals(4, offset(s, "sc_id"));
        assertEquals(8, offset(s, "sc_unit"));
        assertEquals(12, offset(s, "sc_reserved"));
    }

    @Test
    void sockaddrCtlCarriesLengthFamilyAndUnitInHostOrder() {
        SockaddrCtl a = new SockaddrCtl(0x01020304, 5);
        a.write();
        byte[] raw = a.getPointer().getByteArray(0, 32);
        assertEquals(32, raw[0]);
        assertEquals(32, raw[1]); // AF_SYSTEM
        assertEquals(2, a.getPointer().getShort(2)); // AF_SYS_CONTROL
        assertEquals(0x01020304, a.getPointer().getInt(4));
        assertEquals(5, a.getPointer().getInt(8));
        for (int i = 12; i < 32; i++) {
            assertEquals(0, raw[i], "sc_reserved byte " + i);
        }
    }

    @Test
    void ctlInfoIs100Bytes() {
        CtlInfoProbe s = new CtlInfoProbe();
        assertEquals(100, s.size());
        assertEquals(0, offset(s, "ctl_id"));
        assertEquals(4, offset(s, "ctl_name"));
        CtlInfo named = new CtlInfo(UtunDriver.UTUN_CONTROL_NAME);
        named.write();
        assertEquals(UtunDriver.UTUN_CONTROL_NAME, named.getPointer().getString(4, "US-ASCII"));
    }

    @Test
    void ifreqIs32BytesWithTheMtuAt16() {
        IfReqProbe s = new IfReqProbe();
        assertEquals(32, s.size());
        assertEquals(0, offset(s, "ifr_name"));
        assertEquals(16, offset(s, "ifr_mtu"));
        assertThrows(IllegalArgumentException.class, () -> new IfReqMtu("a-name-of-16-chr", 1500));
    }

    /** {@code sys/ioccom.h}: dir | (len & 0x1FFF) << 16 | group << 8 | num. */
    private static long ioc(long dir, int len, char group, int num) {
        return dir | ((long) (len & 0x1FFF) << 16) | ((long) group << 8) | num;
    }

    @Test
    void ioctlNumbersFollowTheIoccomFormula() {
        long in = 0x80000000L;
        long out = 0x40000000L;
        assertEquals(ioc(in | out, new CtlInfo().size(), 'N', 3), UtunDriver.CTLIOCGINFO);
        assertEquals(0xC0644E03L, UtunDriver.CTLIOCGINFO);
        assertEquals(ioc(in | out, new IfReqMtu().size(), 'i', 51), IfReqMtu.SIOCGIFMTU);
        assertEquals(ioc(in, new IfReqMtu().size(), 'i', 52), IfReqMtu.SIOCSIFMTU);
    }

    @Test
    void theDarwinConstantsAreTheDocumentedOnes() {
        PosixConstants d = PosixConstants.DARWIN;
        assertEquals(0x4, d.oNonblock());
        assertEquals(35, d.eagain());
        assertEquals(30, d.afInet6());
        assertEquals(55, d.enobufs());
        assertEquals(40, d.emsgsize());
        assertEquals(UtunHeader.AF_INET6, d.afInet6()); // the framing's family word is Darwin's AF_INET6
        assertEquals(0xFFFF, d.solSocket());
        assertEquals(0x1001, d.soSndbuf());
    }
}
