package io.wirefx.platform.windows;

import io.wirefx.core.net.IpPrefix;

import java.net.InetAddress;
import java.util.List;

/**
 * The IP Helper calls the configurator makes, one method per Windows call (or small fixed sequence), keyed by the
 * adapter's LUID. {@link IpHelperNetworkApi} binds them with JNA on Windows; tests use an in-memory fake.
 */
public interface NetworkApi {

    /** {@code NL_DAD_STATE} values of a unicast address. */
    enum DadState { INVALID, TENTATIVE, DUPLICATE, DEPRECATED, PREFERRED }

    /**
     * A default ({@code /0}) route as {@code GetIpForwardTable2} lists it.
     *
     * @param interfaceLuid   its interface
     * @param interfaceIndex  its interface index (what {@code IP_UNICAST_IF} takes)
     * @param metric          route metric plus the interface's metric: lower wins
     * @param interfaceUp     whether the interface is operationally up
     */
    record DefaultRoute(long interfaceLuid, int interfaceIndex, int metric, boolean interfaceUp) {
    }

    /** {@code ConvertInterfaceAliasToLuid}: the LUID of the adapter named {@code alias}. */
    long luidOf(String alias) throws WindowsException;

    /** {@code GetIpInterfaceEntry} + {@code SetIpInterfaceEntry} for one family (the row's other fields kept). */
    void setInterface(long luid, NetOp.SetInterface settings) throws WindowsException;

    /** {@code CreateUnicastIpAddressEntry} (DadState Preferred, infinite lifetimes, manual origins). */
    void addAddress(long luid, IpPrefix address) throws WindowsException;

    /** {@code GetUnicastIpAddressEntry}: the address's DAD state. */
    DadState addressState(long luid, InetAddress address) throws WindowsException;

    /** {@code DeleteUnicastIpAddressEntry}. */
    void deleteAddress(long luid, IpPrefix address) throws WindowsException;

    /** {@code CreateIpForwardEntry2}: an on-link route through the interface. */
    void addRoute(long luid, IpPrefix destination, int metric) throws WindowsException;

    /** {@code DeleteIpForwardEntry2}. */
    void deleteRoute(long luid, IpPrefix destination) throws WindowsException;

    /**
     * DNS servers and search list of the interface for one family (empty lists clear them):
     * {@code SetInterfaceDnsSettings}, or on Windows before 10 2004 the registry values it stands for.
     */
    void setDns(long luid, Family family, List<InetAddress> servers, List<String> searchDomains)
            throws WindowsException;

    /** {@code GetIpForwardTable2}: the {@code /0} routes of a family, on any interface. */
    List<DefaultRoute> defaultRoutes(Family family) throws WindowsException;

    /**
     * {@code NotifyRouteChange2} for both families: {@code callback} runs (on a Windows thread, so it must only hand
     * off work) whenever a route changes. Closing the handle cancels it ({@code CancelMibChangeNotify2}), never from
     * inside the callback.
     */
    AutoCloseable onRouteChange(Runnable callback) throws WindowsException;
}
