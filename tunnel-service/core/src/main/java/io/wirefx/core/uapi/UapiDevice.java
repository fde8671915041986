package io.wirefx.core.uapi;

import io.wirefx.core.crypto.Key;
import io.wirefx.core.net.IpPrefix;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The device a {@link UapiSession} reads and configures. Each setter applies at once (a {@code set} operation is not
 * a transaction) and either returns normally or throws {@link UapiException} with the errno to report, e.g.
 * {@link UapiException#EADDRINUSE} when the port cannot be bound.
 *
 * <p>The session validates every value before calling a setter, and calls peer methods only for a peer that exists:
 * one that {@link #hasPeer} reported or that {@link #createPeer} just made. An unexpected {@link RuntimeException}
 * from any method is reported to the client as {@link UapiException#UNKNOWN} (-55).
 */
public interface UapiDevice {

    /** The state a {@code get} reports. */
    DeviceState snapshot();

    /** The public key of the device's private key, if one is set: a {@code public_key} equal to it is ignored. */
    Optional<Key> ownPublicKey();

    /** Sets the private key (already clamped), or removes it ({@code private_key} of all zeros). */
    void setPrivateKey(Optional<Key> privateKey) throws UapiException;

    /** Sets the UDP port and rebinds; 0 picks a random port. */
    void setListenPort(int port) throws UapiException;

    /** Sets the firewall mark (an unsigned 32-bit value in an {@code int}); 0 = off. */
    void setFwmark(int fwmark) throws UapiException;

    void removeAllPeers() throws UapiException;

    boolean hasPeer(Key publicKey);

    void createPeer(Key publicKey) throws UapiException;

    void removePeer(Key publicKey) throws UapiException;

    /** Sets the preshared key, or removes it (all zeros). */
    void setPresharedKey(Key peer, Optional<Key> presharedKey) throws UapiException;

    /** Sets the endpoint; the address is always numeric (never resolved). */
    void setEndpoint(Key peer, InetSocketAddress endpoint) throws UapiException;

    /** Seconds 0..65535; 0 = off. */
    void setPersistentKeepalive(Key peer, int seconds) throws UapiException;

    void clearAllowedIps(Key peer) throws UapiException;

    /** Adds a prefix (already masked); a prefix held by another peer moves to this one, as in wireguard-go. */
    void addAllowedIp(Key peer, IpPrefix allowedIp) throws UapiException;

    /** Removes a prefix (already masked) if this peer holds it. */
    void removeAllowedIp(Key peer, IpPrefix allowedIp) throws UapiException;

    /**
     * Called when a peer's block of a {@code set} ends without error (at the next {@code public_key} or the blank
     * line), unless the block removed the peer. wireguard-go starts the peer here and, if the block switched persistent
     * keepalive on, sends a keepalive at once.
     */
    default void peerConfigured(Key peer) {}

    /**
     * Maps an endpoint zone name ({@code fe80::1%eth0}, as {@code wg} sends for link-local endpoints) to an interface
     * index. Numeric zones never reach this method. The default knows no names, so such endpoints fail with EINVAL.
     */
    default OptionalInt zoneIndex(String zone) {
        return OptionalInt.empty();
    }
}
