package io.wirefx.tun.macos;

import com.sun.jna.Structure;

import java.nio.charset.StandardCharsets;

/**
 * JNA mapping of {@code struct ctl_info} (XNU {@code bsd/sys/kern_control.h}): {@code u_int32_t ctl_id} at 0 (filled in by
 * {@code CTLIOCGINFO}), {@code char ctl_name[MAX_KCTL_NAME = 96]} at 4 (in, NUL-terminated); 100 bytes.
 */
@Structure.FieldOrder({"ctl_id", "ctl_name"})
public class CtlInfo extends Structure {

    static final int MAX_KCTL_NAME = 96;

    public int ctl_id;
    public byte[] ctl_name = new byte[MAX_KCTL_NAME];

    CtlInfo() {
    }

    CtlInfo(String controlName) {
        byte[] b = controlName.getBytes(StandardCharsets.US_ASCII);
        if (b.length >= MAX_KCTL_NAME) {
            throw new IllegalArgumentException("control name too long: " + controlName);
        }
        System.arraycopy(b, 0, ctl_name, 0, b.length);
    }
}
