package io.wirefx.platform;

/**
 * The supervisor of the service process: systemd ({@code Type=notify}), launchd, or the Windows service control
 * manager. The service calls {@link #ready()} once it accepts requests and {@link #stopping()} when it begins to
 * stop; both are no-ops where the service does not run under a supervisor.
 */
public interface ServiceHost {

    /** Tells the supervisor the service is ready (e.g. {@code READY=1} to {@code $NOTIFY_SOCKET}). */
    void ready();

    /** Tells the supervisor the service is stopping. */
    void stopping();

    /** A one-line description for the log, e.g. {@code systemd (notify)} or {@code foreground}. */
    String describe();
}
