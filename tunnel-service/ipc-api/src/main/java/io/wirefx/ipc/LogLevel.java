package io.wirefx.ipc;

/** Severity of a service log line. */
public enum LogLevel {
    DEBUG,
    INFO,
    WARN,
    ERROR
}
