package io.wirefx.platform.windows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * The per-service SID Windows gives a service ({@code NT SERVICE\<name>}): {@code S-1-5-80-} followed by the SHA-1 of
 * the upper-cased service name in UTF-16LE, read as five little-endian 32-bit sub-authorities. With
 * {@code SERVICE_SID_TYPE_UNRESTRICTED} it is in the service process's token, so WFP can match the service and
 * nothing else.
 */
public final class ServiceSid {

    private ServiceSid() {
    }

    /** The SID of service {@code serviceName}, in string form. */
    public static String of(String serviceName) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-1")
                    .digest(serviceName.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_16LE));
            ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
            StringBuilder sid = new StringBuilder("S-1-5-80");
            for (int i = 0; i < 5; i++) {
                sid.append('-').append(Integer.toUnsignedString(b.getInt()));
            }
            return sid.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 missing", e);
        }
    }
}
