package io.wirefx.platform;

/**
 * The supervisor of the service process: systemd ({@code Type=notify}), launchd, or the Windows service control
 * manager. The service calls {@link #ready()} once it accepts requests and {@link #stopping()} when it begins to
 * stop; both are no-ops where the service does not run under a supervisor.
 */
public interface ServiceHost {

    /**
     * Runs {@code service} under the supervisor and returns its exit code. The default runs it on this thread; the
     * Windows service control manager's host starts the control dispatcher and runs it from the service's main
     * callback.
     */
    default int run(java.util.function.IntSupplier service) {
        return service.getAsInt();
    }

    /**
     * Registers what to do when the supervisor asks the service to stop (the SCM's stop and shutdown controls).
     * Signals (SIGTERM from systemd or launchd) are the service's own business; the default ignores this.
     */
    default void onStopRequest(Runnable stop) {
    }

    /**
     * Registers the service with the supervisor so that it runs {@code command} (the executable and its arguments)
     * at boot: {@code wirefx-service install}, used by the Windows installer. Where the packages register the service
     * (a systemd unit, a launchd plist) this is unsupported.
     *
     * @throws UnsupportedOperationException where the service is registered by the package instead
     * @throws java.io.IOException           when the supervisor refused
     */
    default void install(java.util.List<String> command) throws java.io.IOException {
        throw new UnsupportedOperationException("the service is registered by the package on this system ("
                + describe() + "), not by wirefx-service install");
    }

    /**
     * Stops and unregisters the service: {@code wirefx-service uninstall}.
     *
     * @throws UnsupportedOperationException where the package registers the service
     * @throws java.io.IOException           when the supervisor refused
     */
    default void uninstall() throws java.io.IOException {
        throw new UnsupportedOperationException("the service is unregistered by removing the package on this system ("
                + describe() + "), not by wirefx-service uninstall");
    }

    /** Tells the supervisor the service is ready (e.g. {@code READY=1} to {@code $NOTIFY_SOCKET}). */
    void ready();

    /** Tells the supervisor the service is stopping. */
    void stopping();

    /**
     * Whether what the service writes to stderr is kept (systemd's journal, launchd's log file, a console). Where it
     * is not (a Windows service under the SCM), the service writes its log to a file in
     * {@link PlatformPaths#logDir()}. Meaningful once {@link #run} has started the service.
     */
    default boolean keepsOutput() {
        return true;
    }

    /** A one-line description for the log, e.g. {@code systemd (notify)} or {@code foreground}. */
    String describe();
}
