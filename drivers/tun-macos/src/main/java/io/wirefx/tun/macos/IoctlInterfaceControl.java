package io.wirefx.tun.macos;

import java.io.IOException;

/** The MTU of a utun interface through {@code SIOCGIFMTU}/{@code SIOCSIFMTU} on an {@code AF_INET} datagram socket. */
final class IoctlInterfaceControl implements InterfaceControl {

    private static final int SOCK_DGRAM = 2;

    private final PosixConstants c;
    private final int socket;
    private final String name;

    private IoctlInterfaceControl(PosixConstants c, int socket, String name) {
        this.c = c;
        this.socket = socket;
        this.name = name;
    }

    static IoctlInterfaceControl open(PosixConstants c, String name) throws IOException {
        int s = Posix.socket(c.afInet(), SOCK_DGRAM, 0);
        if (s < 0) {
            throw new IOException("control socket: " + Posix.describe(c, Posix.errno()));
        }
        return new IoctlInterfaceControl(c, s, name);
    }

    @Override
    public int mtu() throws IOException {
        IfReqMtu ifr = new IfReqMtu(name, 0);
        ifr.write();
        if (Posix.variadic().ioctl(socket, IfReqMtu.SIOCGIFMTU, ifr.getPointer()) != 0) {
            throw new IOException("SIOCGIFMTU " + name + ": " + Posix.describe(c, Posix.errno()));
        }
        ifr.read();
        return ifr.ifr_mtu;
    }

    @Override
    public void setMtu(int mtu) throws IOException {
        IfReqMtu ifr = new IfReqMtu(name, mtu);
        ifr.write();
        if (Posix.variadic().ioctl(socket, IfReqMtu.SIOCSIFMTU, ifr.getPointer()) != 0) {
            throw new IOException("cannot set MTU " + mtu + " on " + name + ": " + Posix.describe(c, Posix.errno()));
        }
    }

    @Override
    public void close() {
        Posix.close(socket);
    }
}
