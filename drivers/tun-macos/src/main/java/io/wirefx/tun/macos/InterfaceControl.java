package io.wirefx.tun.macos;

import java.io.IOException;

/**
 * The interface-level settings of a {@link UtunDevice} that are not on its packet socket: the MTU. On macOS that is
 * {@code SIOCGIFMTU}/{@code SIOCSIFMTU} on a datagram socket ({@link IoctlInterfaceControl}); a loopback pair has no
 * interface and only remembers the value ({@link RememberedMtu}).
 */
interface InterfaceControl extends AutoCloseable {

    /** The interface's MTU as the OS reports it. */
    int mtu() throws IOException;

    /** Sets the interface's MTU. */
    void setMtu(int mtu) throws IOException;

    /** Releases what this control holds. Never throws. */
    @Override
    void close();

    /** No OS interface: the MTU is a remembered number. */
    final class RememberedMtu implements InterfaceControl {
        private volatile int mtu;

        RememberedMtu(int mtu) {
            this.mtu = mtu;
        }

        @Override
        public int mtu() {
            return mtu;
        }

        @Override
        public void setMtu(int mtu) {
            this.mtu = mtu;
        }

        @Override
        public void close() {
        }
    }
}
