package io.wirefx.ipc;

import java.util.Objects;

/**
 * The first message of every connection, sent by the client.
 *
 * @param version    the highest protocol version the client speaks
 * @param clientName free text for the service log ({@code wirefx-ui 0.1}); at most 100 characters are kept
 */
public record ClientHello(int version, String clientName) implements Message {
    public ClientHello {
        Objects.requireNonNull(clientName, "clientName");
    }
}
