package io.wirefx.tun.macos;

import com.sun.jna.Structure;

/**
 * {@code struct sockaddr_ctl} (XNU {@code bsd/sys/kern_control.h}), 32 bytes, all fields in host byte order:
 * {@code u_char sc_len} @0 (= 32), {@code u_char sc_family} @1 ({@code AF_SYSTEM} 32), {@code u_int16_t ss_sysaddr}
 * @2 ({@code AF_SYS_CONTROL} 2), {@code u_int32_t sc_id} @4, {@code u_int32_t sc_unit} @8,
 * {@code u_int32_t sc_reserved[5]} @12.
 */
@Structure.FieldOrder({"sc_len", "sc_family", "ss_sysaddr", "sc_id", "sc_unit", "sc_reserved"})
public class SockaddrCtl extends Structure {

    static final int SIZE = 32;
    static final byte AF_SYSTEM = 32;
    static final short AF_SYS_CONTROL = 2;

    public byte sc_len;
    public byte sc_family;
    public short ss_sysaddr;
    public int sc_id;
    public int sc_unit;
    public int[] sc_reserved = new int[5];

    SockaddrCtl() {
    }

    /** The address of unit {@code unit} (0: the kernel picks the next free one) of control {@code id}. */
    SockaddrCtl(int id, int unit) {
        sc_len = SIZE;
        sc_family = AF_SYSTEM;
        ss_sysaddr = AF_SYS_CONTROL;
        sc_id = id;
        sc_unit = unit;
    }
}
