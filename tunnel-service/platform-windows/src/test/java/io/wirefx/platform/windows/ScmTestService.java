package io.wirefx.platform.windows;

/** A service for {@link WindowsSystemTest}: ready at once, stops when the SCM says so. */
public final class ScmTestService {

    private ScmTestService() {
    }

    public static void main(String[] args) throws Exception {
        new ScmServiceHost(host -> {
            host.ready();
            host.awaitStop();
        }, System.err::println).run();
    }
}
