package io.wirefx.ui.notify;

/**
 * One desktop notification.
 *
 * @param kind    what happened
 * @param tunnel  the tunnel it is about
 * @param summary the notification's title
 * @param body    its text (may be empty)
 */
public record Notice(Kind kind, String tunnel, String summary, String body) {
    /** The events that are announced. */
    public enum Kind {
        UP, DOWN, FAILED, NO_HANDSHAKE
    }
}
