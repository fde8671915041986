package io.wirefx.engine;

import io.wirefx.tun.PacketBatch;
import io.wirefx.tun.TunDevice;
import io.wirefx.tun.TunEventListener;
import io.wirefx.tun.memory.MemoryTun;

import java.io.IOException;

/** A TUN device that does what its {@link MemoryTun} does; tests override the part they change. */
public class DelegatingTun implements TunDevice {
    protected final MemoryTun tun;

    public DelegatingTun(MemoryTun tun) {
        this.tun = tun;
    }

    @Override
    public String name() {
        return tun.name();
    }

    @Override
    public int mtu() {
        return tun.mtu();
    }

    @Override
    public void setMtu(int mtu) throws IOException {
        tun.setMtu(mtu);
    }

    @Override
    public int read(PacketBatch batch) throws IOException {
        return tun.read(batch);
    }

    @Override
    public int readNow(PacketBatch batch) throws IOException {
        return tun.readNow(batch);
    }

    @Override
    public boolean readsWithoutWaiting() {
        return tun.readsWithoutWaiting();
    }

    @Override
    public boolean awaitReadable() throws IOException {
        return tun.awaitReadable();
    }

    @Override
    public int write(PacketBatch batch) throws IOException {
        return tun.write(batch);
    }

    @Override
    public boolean isOpen() {
        return tun.isOpen();
    }

    @Override
    public void addListener(TunEventListener listener) {
        tun.addListener(listener);
    }

    @Override
    public void removeListener(TunEventListener listener) {
        tun.removeListener(listener);
    }

    @Override
    public void close() {
        tun.close();
    }
}
