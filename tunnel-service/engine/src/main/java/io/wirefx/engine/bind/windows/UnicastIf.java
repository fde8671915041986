package io.wirefx.engine.bind.windows;

import com.sun.jna.Library;
import com.sun.jna.Native;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.SocketException;
import java.nio.channels.DatagramChannel;
import java.util.Locale;

/**
 * Pins a UDP socket's outgoing datagrams to one interface on Windows, as wireguard-go's {@code BindSocketToInterface4/6}
 * does for a full tunnel: {@code setsockopt(s, IPPROTO_IP, IP_UNICAST_IF, ...)} with the interface index in network
 * byte order, {@code setsockopt(s, IPPROTO_IPV6, IPV6_UNICAST_IF, ...)} with it in host order (ws2ipdef.h; MSDN).
 * On a dual-stack IPv6 socket both are set: the IPv4 option governs its IPv4-mapped traffic.
 *
 * <p>The socket handle of a {@link DatagramChannel} is the JDK's {@code sun.nio.ch.SelChImpl.getFDVal()} (on Windows
 * the {@code SOCKET}); reading it needs {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED}, which the service's
 * registered command line carries.
 */
public final class UnicastIf {

    static final int IPPROTO_IP = 0;
    static final int IPPROTO_IPV6 = 41;
    /** ws2ipdef.h: the same value at both levels. */
    static final int IP_UNICAST_IF = 31;
    static final int IPV6_UNICAST_IF = 31;

    /** One setsockopt call: level, option and the 4-byte value as an int stored little-endian (x64 memory order). */
    public record Option(int level, int name, int value) {
    }

    /** ws2_32's setsockopt; {@code SOCKET} is pointer-sized (x64 only, like the rest of the Windows modules). */
    interface Ws2 extends Library {
        int setsockopt(long socket, int level, int optname, int[] optval, int optlen);

        int WSAGetLastError();
    }

    private static volatile Ws2 ws2;

    private UnicastIf() {
    }

    /** Whether this JVM runs on Windows (the only place the options exist). */
    public static boolean supported() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }

    /** The IPv4 option for {@code interfaceIndex}: network byte order, so the int is byte-swapped. */
    public static Option ipv4(int interfaceIndex) {
        return new Option(IPPROTO_IP, IP_UNICAST_IF, Integer.reverseBytes(interfaceIndex));
    }

    /** The IPv6 option for {@code interfaceIndex}: host order. */
    public static Option ipv6(int interfaceIndex) {
        return new Option(IPPROTO_IPV6, IPV6_UNICAST_IF, interfaceIndex);
    }

    /**
     * Pins {@code channel} to {@code ipv4Index} / {@code ipv6Index} (0 leaves that family as it is).
     *
     * @param dualStack whether the channel is an IPv6 socket that also carries IPv4
     */
    public static void pin(DatagramChannel channel, boolean dualStack, int ipv4Index, int ipv6Index)
            throws IOException {
        if (!supported()) {
            throw new SocketException("IP_UNICAST_IF exists only on Windows");
        }
        long socket = socketHandle(channel);
        if (ipv4Index != 0) {
            set(socket, ipv4(ipv4Index));
        }
        if (ipv6Index != 0 && dualStack) {
            set(socket, ipv6(ipv6Index));
        }
    }

    private static void set(long socket, Option o) throws SocketException {
        Ws2 w = ws2;
        if (w == null) {
            w = Native.load("ws2_32", Ws2.class);
            ws2 = w;
        }
        if (w.setsockopt(socket, o.level(), o.name(), new int[]{o.value()}, 4) != 0) {
            throw new SocketException("setsockopt(" + (o.level() == IPPROTO_IP ? "IP_UNICAST_IF" : "IPV6_UNICAST_IF")
                    + ") failed: WSA error " + w.WSAGetLastError());
        }
    }

    /** The OS handle of the channel's socket. */
    static long socketHandle(DatagramChannel channel) throws SocketException {
        try {
            Class<?> selCh = Class.forName("sun.nio.ch.SelChImpl");
            return ((Number) selCh.getMethod("getFDVal").invoke(channel)).longValue();
        } catch (IllegalAccessException | IllegalAccessError e) {
            throw new SocketException("cannot read the UDP socket's handle: run the JVM with "
                    + "--add-exports java.base/sun.nio.ch=ALL-UNNAMED");
        } catch (ReflectiveOperationException | ClassCastException e) {
            Throwable c = e instanceof InvocationTargetException i ? i.getCause() : e;
            throw new SocketException("cannot read the UDP socket's handle: " + c);
        }
    }
}
