package io.wirefx.tun.memory;

import io.wirefx.tun.TunDevice;
import io.wirefx.tun.TunDeviceContract;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/** Runs the driver contract against the in-memory device. */
class MemoryTunContractTest extends TunDeviceContract {

    @Override
    protected Harness openHarness() {
        MemoryTun tun = new MemoryTun("mem0", 1420);
        tun.setLinkUp(true);
        return new Harness() {
            @Override
            public TunDevice device() {
                return tun;
            }

            @Override
            public int overhead() {
                return 0;
            }

            @Override
            public void inject(byte[] payload) {
                if (!tun.inject(payload)) {
                    throw new IllegalStateException("inject refused");
                }
            }

            @Override
            public byte[] payloadOf(byte[] array, int offset, int length) {
                return Arrays.copyOfRange(array, offset, offset + length);
            }

            @Override
            public byte[] packetFor(byte[] payload) {
                return payload.clone();
            }

            @Override
            public byte[] awaitDelivered(Duration timeout) throws InterruptedException {
                return tun.takeWritten(timeout.toNanos(), TimeUnit.NANOSECONDS);
            }

            @Override
            public boolean removeInterface() {
                tun.simulateRemoval();
                return true;
            }

            @Override
            public void close() {
                tun.close();
            }
        };
    }
}
