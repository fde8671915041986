package io.wirefx.ui.service;

import io.wirefx.ipc.ConfigError;
import io.wirefx.ipc.ErrorCode;

/**
 * A request that failed: either the service refused it ({@link #code()} set) or the connection failed
 * ({@link #code()} null, {@link #isConnectionFailure()}).
 */
public final class ServiceException extends RuntimeException {
    private final ErrorCode code;
    private final transient ConfigError configError;

    public ServiceException(ErrorCode code, String message, ConfigError configError) {
        super(message);
        this.code = code;
        this.configError = configError;
    }

    public static ServiceException connection(String message) {
        return new ServiceException(null, message, null);
    }

    /** The service's error code, or null if the request never got an answer. */
    public ErrorCode code() {
        return code;
    }

    /** Where a configuration is wrong, for {@link ErrorCode#INVALID_CONFIG}; else null. */
    public ConfigError configError() {
        return configError;
    }

    public boolean isConnectionFailure() {
        return code == null;
    }

    /** Unwraps the CompletionException layers of a failed stage. */
    public static Throwable unwrap(Throwable t) {
        while ((t instanceof java.util.concurrent.CompletionException
                || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
