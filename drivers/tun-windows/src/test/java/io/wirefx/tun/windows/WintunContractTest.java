package io.wirefx.tun.windows;

import io.wirefx.tun.TunDevice;
import io.wirefx.tun.TunDeviceContract;

import java.util.Arrays;
import java.time.Duration;

/**
 * The TUN driver contract run by {@link WintunDevice} over {@link FakeWintun}: the device's batching, waiting, close and
 * removal logic, without Windows. The same suite runs against the real driver in the Windows CI job.
 */
class WintunContractTest extends TunDeviceContract {

    @Override
    protected Harness openHarness() throws Exception {
        FakeWintun fake = new FakeWintun();
        WintunDriver driver = new WintunDriver(() -> new WintunDriver.Natives(fake, fake));
        String name = "wfx-contract";
        WintunDevice device = driver.open(name, 1420);
        return new Harness() {
            @Override
            public TunDevice device() {
                return device;
            }

            @Override
            public int overhead() {
                return 0;
            }

            @Override
            public void inject(byte[] payload) {
                if (!fake.inject(name, payload)) {
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
                return fake.takeSent(name, timeout.toMillis());
            }

            @Override
            public boolean removeInterface() {
                fake.terminate(name);
                return true;
            }

            @Override
            public void close() {
                device.close();
            }
        };
    }
}
