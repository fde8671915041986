package io.wirefx.ipc;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Picks the {@link IpcTransport} for an address: the first one found by {@link ServiceLoader} that
 * {@linkplain IpcTransport#handles handles} it, else the Unix-domain socket ({@link #UNIX}).
 */
public final class IpcTransports {

    /** The Unix-domain socket at a file system path: handles every address no other transport claims. */
    public static final IpcTransport UNIX = new IpcTransport() {
        @Override
        public String name() {
            return "unix";
        }

        @Override
        public boolean handles(String address) {
            return true;
        }

        @Override
        public ByteChannel open(String address) throws IOException {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.connect(UnixDomainSocketAddress.of(Path.of(address)));
                return ch;
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        }
    };

    private IpcTransports() {
    }

    /** The transports installed besides {@link #UNIX}, in class path order. */
    public static List<IpcTransport> installed() {
        List<IpcTransport> out = new ArrayList<>();
        ServiceLoader.load(IpcTransport.class, IpcTransports.class.getClassLoader()).forEach(out::add);
        return out;
    }

    /** The transport for {@code address}. */
    public static IpcTransport forAddress(String address) {
        for (IpcTransport t : installed()) {
            if (t.handles(address)) {
                return t;
            }
        }
        return UNIX;
    }

    /**
     * The service's address on this machine: the first installed transport's {@link IpcTransport#defaultAddress},
     * else the Unix socket where the service of this OS listens ({@link Protocol#DEFAULT_SOCKET_MACOS} on macOS,
     * {@link Protocol#DEFAULT_SOCKET} elsewhere).
     */
    public static String defaultAddress() {
        for (IpcTransport t : installed()) {
            Optional<String> a = t.defaultAddress();
            if (a.isPresent()) {
                return a.get();
            }
        }
        return defaultSocket(System.getProperty("os.name", "")).toString();
    }

    static java.nio.file.Path defaultSocket(String osName) {
        return osName.startsWith("Mac") ? Protocol.DEFAULT_SOCKET_MACOS : Protocol.DEFAULT_SOCKET;
    }
}
