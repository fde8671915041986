package io.wirefx.platform.windows;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import io.wirefx.core.net.IpPrefix;
import io.wirefx.tun.windows.Guid;
import io.wirefx.tun.windows.Wide;

import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link WfpApi} on fwpuclnt.dll (and advapi32 for the SDDL conversion), direct-mapped. Windows only.
 *
 * <p>Condition values follow WFP's encoding: UINT8/UINT16/UINT32 inline; the LUID as a pointer to a UINT64; an
 * IPv4 host as a host-order UINT32, a v4 network as {@code FWP_V4_ADDR_AND_MASK}; an IPv6 host as a 16-byte array, a v6
 * network as {@code FWP_V6_ADDR_AND_MASK}; the AppId as the blob {@code FwpmGetAppIdFromFileName0} returns; the user
 * condition as a self-relative security descriptor blob.
 */
public final class FwpmLibrary implements WfpApi {

    static {
        Map<String, Object> sys32 = Map.of(Library.OPTION_OPEN_FLAGS, 0x800);
        Native.register(Fwpuclnt.class, NativeLibrary.getInstance("fwpuclnt", sys32));
        Native.register(Advapi32.class, NativeLibrary.getInstance("advapi32", sys32));
        Native.register(Kernel32.class, NativeLibrary.getInstance("kernel32", sys32));
    }

    private static final class Fwpuclnt {
        static native int FwpmEngineOpen0(Pointer server, int authn, Pointer identity, Pointer session,
                                          PointerByReference engine);

        static native int FwpmEngineClose0(Pointer engine);

        static native int FwpmTransactionBegin0(Pointer engine, int flags);

        static native int FwpmTransactionCommit0(Pointer engine);

        static native int FwpmTransactionAbort0(Pointer engine);

        static native int FwpmProviderAdd0(Pointer engine, Pointer provider, Pointer sd);

        static native int FwpmSubLayerAdd0(Pointer engine, Pointer sublayer, Pointer sd);

        static native int FwpmFilterAdd0(Pointer engine, Pointer filter, Pointer sd, LongByReference id);

        static native int FwpmGetAppIdFromFileName0(Pointer fileName, PointerByReference appId);

        static native void FwpmFreeMemory0(PointerByReference p);
    }

    private static final class Advapi32 {
        static native int ConvertStringSecurityDescriptorToSecurityDescriptorW(Pointer sddl, int revision,
                                                                                PointerByReference sd,
                                                                                IntByReference size);
    }

    private static final class Kernel32 {
        static native Pointer LocalFree(Pointer p);
    }

    private static void check(String call, int code) throws WindowsException {
        if (code != 0) {
            throw new WindowsException(call, code);
        }
    }

    private static Pointer handle(long engine) {
        return new Pointer(engine);
    }

    @Override
    public long openDynamicSession(String displayName) throws WindowsException {
        try (Memory name = Wide.of(displayName)) {
            WfpStructs.Session s = new WfpStructs.Session();
            s.displayData.name = name;
            s.flags = WfpStructs.FWPM_SESSION_FLAG_DYNAMIC;
            s.txnWaitTimeoutInMSec = 0xFFFFFFFF; // INFINITE
            s.write();
            PointerByReference engine = new PointerByReference();
            check("FwpmEngineOpen0", Fwpuclnt.FwpmEngineOpen0(null, WfpStructs.RPC_C_AUTHN_WINNT, null,
                    s.getPointer(), engine));
            return Pointer.nativeValue(engine.getValue());
        }
    }

    @Override
    public void begin(long engine) throws WindowsException {
        check("FwpmTransactionBegin0", Fwpuclnt.FwpmTransactionBegin0(handle(engine), 0));
    }

    @Override
    public void commit(long engine) throws WindowsException {
        check("FwpmTransactionCommit0", Fwpuclnt.FwpmTransactionCommit0(handle(engine)));
    }

    @Override
    public void abort(long engine) throws WindowsException {
        check("FwpmTransactionAbort0", Fwpuclnt.FwpmTransactionAbort0(handle(engine)));
    }

    @Override
    public void addProvider(long engine, Guid key, String displayName) throws WindowsException {
        try (Memory name = Wide.of(displayName)) {
            WfpStructs.Provider p = new WfpStructs.Provider();
            p.providerKey.set(key);
            p.displayData.name = name;
            p.write();
            check("FwpmProviderAdd0", Fwpuclnt.FwpmProviderAdd0(handle(engine), p.getPointer(), null));
        }
    }

    @Override
    public void addSublayer(long engine, Guid key, Guid provider, String displayName, int weight)
            throws WindowsException {
        try (Memory name = Wide.of(displayName); Memory prov = guid(provider)) {
            WfpStructs.Sublayer s = new WfpStructs.Sublayer();
            s.subLayerKey.set(key);
            s.displayData.name = name;
            s.providerKey = prov;
            s.weight = (short) weight;
            s.write();
            check("FwpmSubLayerAdd0", Fwpuclnt.FwpmSubLayerAdd0(handle(engine), s.getPointer(), null));
        }
    }

    @Override
    public long addFilter(long engine, Guid provider, Guid sublayer, WfpFilter filter) throws WindowsException {
        List<Memory> keep = new ArrayList<>();
        List<Pointer> wfpFree = new ArrayList<>();
        List<Pointer> localFree = new ArrayList<>();
        try {
            Memory name = Wide.of(filter.name());
            keep.add(name);
            Memory prov = guid(provider);
            keep.add(prov);
            WfpStructs.Filter f = new WfpStructs.Filter();
            f.displayData.name = name;
            f.providerKey = prov;
            f.layerKey.set(filter.layer().key());
            f.subLayerKey.set(sublayer);
            f.weight.set(WfpStructs.FWP_UINT8, filter.weight());
            f.action.type = filter.action().code();
            boolean permitsService = filter.conditions().stream().anyMatch(c -> c instanceof WfpFilter.UserSid);
            f.flags = permitsService ? WfpStructs.FWPM_FILTER_FLAG_CLEAR_ACTION_RIGHT : 0;
            List<WfpFilter.Condition> cs = filter.conditions();
            f.numFilterConditions = cs.size();
            if (!cs.isEmpty()) {
                WfpStructs.FilterCondition first = new WfpStructs.FilterCondition();
                Structure[] array = first.toArray(cs.size());
                for (int i = 0; i < cs.size(); i++) {
                    encode(cs.get(i), (WfpStructs.FilterCondition) array[i], keep, wfpFree, localFree);
                    array[i].write();
                }
                f.filterCondition = first.getPointer();
            }
            f.write();
            LongByReference id = new LongByReference();
            check("FwpmFilterAdd0 " + filter.name(), Fwpuclnt.FwpmFilterAdd0(handle(engine), f.getPointer(), null,
                    id));
            return id.getValue();
        } finally {
            for (Pointer p : wfpFree) {
                Fwpuclnt.FwpmFreeMemory0(new PointerByReference(p));
            }
            localFree.forEach(Kernel32::LocalFree);
            keep.forEach(Memory::close);
        }
    }

    private static void encode(WfpFilter.Condition c, WfpStructs.FilterCondition out, List<Memory> keep,
                               List<Pointer> wfpFree, List<Pointer> localFree) throws WindowsException {
        out.fieldKey.set(c.field().key());
        out.matchType = WfpStructs.FWP_MATCH_EQUAL;
        WfpStructs.Value v = out.conditionValue;
        switch (c) {
            case WfpFilter.LocalInterface li -> {
                Memory m = new Memory(8);
                m.setLong(0, li.luid());
                keep.add(m);
                v.set(WfpStructs.FWP_UINT64, m);
            }
            case WfpFilter.RemoteAddress ra -> address(ra.network(), v, keep);
            case WfpFilter.LocalAddress la -> address(la.network(), v, keep);
            case WfpFilter.Protocol p -> v.set(WfpStructs.FWP_UINT8, p.number());
            case WfpFilter.LocalPort p -> v.set(WfpStructs.FWP_UINT16, p.port());
            case WfpFilter.RemotePort p -> v.set(WfpStructs.FWP_UINT16, p.port());
            case WfpFilter.Loopback l -> {
                out.matchType = WfpStructs.FWP_MATCH_FLAGS_ALL_SET;
                v.set(WfpStructs.FWP_UINT32, WfpStructs.FWP_CONDITION_FLAG_IS_LOOPBACK);
            }
            case WfpFilter.AppId a -> {
                Memory path = Wide.of(a.executable());
                keep.add(path);
                PointerByReference blob = new PointerByReference();
                check("FwpmGetAppIdFromFileName0", Fwpuclnt.FwpmGetAppIdFromFileName0(path, blob));
                wfpFree.add(blob.getValue());
                v.set(WfpStructs.FWP_BYTE_BLOB_TYPE, blob.getValue());
            }
            case WfpFilter.UserSid s -> {
                Memory sddl = Wide.of(s.sddl());
                keep.add(sddl);
                PointerByReference sd = new PointerByReference();
                IntByReference size = new IntByReference();
                if (Advapi32.ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, 1, sd, size) == 0) {
                    throw new WindowsException("ConvertStringSecurityDescriptorToSecurityDescriptorW",
                            Native.getLastError());
                }
                localFree.add(sd.getValue());
                Memory m = new Memory(16); // FWP_BYTE_BLOB
                m.setInt(0, size.getValue());
                m.setPointer(8, sd.getValue());
                keep.add(m);
                v.set(WfpStructs.FWP_SECURITY_DESCRIPTOR_TYPE, m);
            }
        }
    }

    private static void address(IpPrefix n, WfpStructs.Value v, List<Memory> keep) {
        byte[] a = n.masked().address().getAddress();
        if (n.address() instanceof Inet4Address) {
            int hostOrder = ByteBuffer.wrap(a).getInt(); // the address as a number
            if (n.length() == 32) {
                v.set(WfpStructs.FWP_UINT32, hostOrder & 0xFFFFFFFFL);
                return;
            }
            Memory mem = new Memory(8); // FWP_V4_ADDR_AND_MASK
            mem.setInt(0, hostOrder);
            mem.setInt(4, n.length() == 0 ? 0 : -1 << (32 - n.length()));
            keep.add(mem);
            v.set(WfpStructs.FWP_V4_ADDR_MASK, mem);
            return;
        }
        if (n.length() == 128) {
            Memory mem = new Memory(16);
            mem.write(0, a, 0, 16);
            keep.add(mem);
            v.set(WfpStructs.FWP_BYTE_ARRAY16_TYPE, mem);
            return;
        }
        Memory mem = new Memory(17);
        mem.write(0, a, 0, 16);
        mem.setByte(16, (byte) n.length());
        keep.add(mem);
        v.set(WfpStructs.FWP_V6_ADDR_MASK, mem);
    }

    private static Memory guid(Guid g) {
        Memory m = new Memory(16);
        m.write(0, g.toBytes(), 0, 16);
        return m;
    }

    @Override
    public void close(long engine) throws WindowsException {
        check("FwpmEngineClose0", Fwpuclnt.FwpmEngineClose0(handle(engine)));
    }
}
