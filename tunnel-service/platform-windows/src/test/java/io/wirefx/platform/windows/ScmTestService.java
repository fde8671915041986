package io.wirefx.platform.windows;

import java.util.concurrent.CountDownLatch;

/** A service for {@link WindowsSystemTest}: ready at once, stops when the SCM says so. */
public final class ScmTestService {

    private ScmTestService() {
    }

    public static void main(String[] args) {
        ScmServiceHost host = ScmServiceHost.forWireFx();
        CountDownLatch stop = new CountDownLatch(1);
        host.onStopRequest(stop::countDown);
        System.exit(host.run(() -> {
            host.ready();
            try {
                stop.await();
            } catch (InterruptedException e) {
                return 1;
            }
            host.stopping();
            return 0;
        }));
    }
}
