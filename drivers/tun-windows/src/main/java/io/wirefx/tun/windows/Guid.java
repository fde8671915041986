package io.wirefx.tun.windows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;

/**
 * A Windows {@code GUID}, kept as the {@link UUID} it prints as. Its 16 native bytes differ from the UUID's: the first
 * three groups ({@code Data1} u32, {@code Data2} u16, {@code Data3} u16) are little-endian, {@code Data4} is 8 bytes in
 * order ({@link #toBytes()}).
 *
 * @param uuid the value in its usual textual form
 */
public record Guid(UUID uuid) {

    /** Namespace for the adapter GUIDs of WireFX tunnels (a random, fixed UUID). */
    static final UUID TUNNEL_NAMESPACE = UUID.fromString("7f0d0c4e-3b1a-4c52-9a2e-5c1f0b6a9d21");

    public Guid {
        Objects.requireNonNull(uuid, "uuid");
    }

    /** Parses {@code xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}, braces allowed. */
    public static Guid parse(String text) {
        String t = text.strip();
        if (t.startsWith("{") && t.endsWith("}")) {
            t = t.substring(1, t.length() - 1);
        }
        return new Guid(UUID.fromString(t));
    }

    /**
     * The adapter GUID of a tunnel: a name-based UUID (version 5, SHA-1) of the tunnel name in WireFX's namespace. The
     * same name always gives the same GUID, so Windows keeps the adapter's network profile (NLA) and firewall category
     * across restarts, as wireguard-windows does with its requested GUID.
     */
    public static Guid forTunnel(String tunnelName) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            ByteBuffer ns = ByteBuffer.allocate(16)
                    .putLong(TUNNEL_NAMESPACE.getMostSignificantBits())
                    .putLong(TUNNEL_NAMESPACE.getLeastSignificantBits());
            sha1.update(ns.array());
            sha1.update(tunnelName.getBytes(StandardCharsets.UTF_8));
            byte[] h = sha1.digest();
            h[6] = (byte) ((h[6] & 0x0f) | 0x50); // version 5
            h[8] = (byte) ((h[8] & 0x3f) | 0x80); // IETF variant
            ByteBuffer b = ByteBuffer.wrap(h, 0, 16);
            return new Guid(new UUID(b.getLong(), b.getLong()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 missing", e);
        }
    }

    /** The 16 bytes of the native {@code GUID} structure. */
    public byte[] toBytes() {
        long msb = uuid.getMostSignificantBits();
        long lsb = uuid.getLeastSignificantBits();
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt((int) (msb >>> 32));
        b.putShort((short) (msb >>> 16));
        b.putShort((short) msb);
        b.order(ByteOrder.BIG_ENDIAN).putLong(lsb);
        return b.array();
    }

    /** The GUID of a native {@code GUID} structure's 16 bytes. */
    public static Guid fromBytes(byte[] bytes) {
        if (bytes.length != 16) {
            throw new IllegalArgumentException("a GUID has 16 bytes: " + HexFormat.of().formatHex(bytes));
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long d1 = b.getInt() & 0xFFFFFFFFL;
        long d2 = b.getShort() & 0xFFFFL;
        long d3 = b.getShort() & 0xFFFFL;
        long lsb = b.order(ByteOrder.BIG_ENDIAN).getLong();
        return new Guid(new UUID(d1 << 32 | d2 << 16 | d3, lsb));
    }

    /** Registry/SDDL form: {@code {XXXXXXXX-XXXX-...}} in upper case. */
    public String braced() {
        return "{" + uuid.toString().toUpperCase(java.util.Locale.ROOT) + "}";
    }

    @Override
    public String toString() {
        return uuid.toString();
    }
}
