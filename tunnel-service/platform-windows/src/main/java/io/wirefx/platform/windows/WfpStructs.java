package io.wirefx.platform.windows;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import io.wirefx.tun.windows.Guid;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The fwpmtypes.h / fwptypes.h structures the kill switch passes to WFP, with MSVC alignment and the C member names
 * (members of anonymous unions mapped to one field of the union's size; the layout test checks them against the
 * mingw-w64 headers).
 */
public final class WfpStructs {

    // FWP_DATA_TYPE
    public static final int FWP_EMPTY = 0;
    public static final int FWP_UINT8 = 1;
    public static final int FWP_UINT16 = 2;
    public static final int FWP_UINT32 = 3;
    public static final int FWP_UINT64 = 4;
    public static final int FWP_BYTE_ARRAY16_TYPE = 11;
    public static final int FWP_BYTE_BLOB_TYPE = 12;
    public static final int FWP_SECURITY_DESCRIPTOR_TYPE = 14;
    public static final int FWP_V4_ADDR_MASK = 0x100;
    public static final int FWP_V6_ADDR_MASK = 0x101;
    // FWP_MATCH_TYPE
    public static final int FWP_MATCH_EQUAL = 0;
    public static final int FWP_MATCH_FLAGS_ALL_SET = 6;
    /** {@code FWP_CONDITION_FLAG_IS_LOOPBACK}. */
    public static final int FWP_CONDITION_FLAG_IS_LOOPBACK = 0x1;
    /** {@code FWPM_SESSION_FLAG_DYNAMIC}. */
    public static final int FWPM_SESSION_FLAG_DYNAMIC = 0x1;
    /** {@code FWPM_FILTER_FLAG_CLEAR_ACTION_RIGHT}. */
    public static final int FWPM_FILTER_FLAG_CLEAR_ACTION_RIGHT = 0x8;
    /** {@code RPC_C_AUTHN_WINNT}. */
    public static final int RPC_C_AUTHN_WINNT = 10;

    private WfpStructs() {
    }

    /** {@code GUID} (16 bytes, alignment 4). */
    @Structure.FieldOrder({"Data1", "Data2", "Data3", "Data4"})
    public static class GuidStruct extends Structure {
        public int Data1;
        public short Data2;
        public short Data3;
        public byte[] Data4 = new byte[8];

        public GuidStruct() {
            super(ALIGN_MSVC);
        }

        public void set(Guid g) {
            ByteBuffer b = ByteBuffer.wrap(g.toBytes()).order(ByteOrder.LITTLE_ENDIAN);
            Data1 = b.getInt();
            Data2 = b.getShort();
            Data3 = b.getShort();
            b.get(Data4);
        }
    }

    /** {@code FWPM_DISPLAY_DATA0} (16 bytes). */
    @Structure.FieldOrder({"name", "description"})
    public static class DisplayData extends Structure {
        public Pointer name;
        public Pointer description;

        public DisplayData() {
            super(ALIGN_MSVC);
        }
    }

    /** {@code FWP_BYTE_BLOB} (16 bytes). */
    @Structure.FieldOrder({"size", "data"})
    public static class ByteBlob extends Structure {
        public int size;
        public Pointer data;

        public ByteBlob() {
            super(ALIGN_MSVC);
        }

        public ByteBlob(Pointer p) {
            super(p, ALIGN_MSVC);
            read();
        }
    }

    /**
     * {@code FWP_VALUE0} / {@code FWP_CONDITION_VALUE0} (16 bytes): the type, then the union, whose small integers are
     * stored inline (little-endian, so in the low bytes of {@code value}) and everything else as a pointer.
     */
    @Structure.FieldOrder({"type", "value"})
    public static class Value extends Structure {
        public int type;
        public long value;

        public Value() {
            super(ALIGN_MSVC);
        }

        public void set(int type, long value) {
            this.type = type;
            this.value = value;
        }

        public void set(int type, Pointer p) {
            this.type = type;
            this.value = Pointer.nativeValue(p);
        }
    }

    /** {@code FWP_V4_ADDR_AND_MASK} (8 bytes; host-order numbers). */
    @Structure.FieldOrder({"addr", "mask"})
    public static class V4AddrAndMask extends Structure {
        public int addr;
        public int mask;

        public V4AddrAndMask() {
            super(ALIGN_MSVC);
        }
    }

    /** {@code FWP_V6_ADDR_AND_MASK} (17 bytes). */
    @Structure.FieldOrder({"addr", "prefixLength"})
    public static class V6AddrAndMask extends Structure {
        public byte[] addr = new byte[16];
        public byte prefixLength;

        public V6AddrAndMask() {
            super(ALIGN_MSVC);
        }
    }

    /** {@code FWPM_ACTION0} (20 bytes). */
    @Structure.FieldOrder({"type", "filterType"})
    public static class Action extends Structure {
        public int type;
        public GuidStruct filterType = new GuidStruct();

        public Action() {
            super(ALIGN_MSVC);
        }
    }

    /** {@code FWPM_FILTER_CONDITION0} (40 bytes). */
    @Structure.FieldOrder({"fieldKey", "matchType", "conditionValue"})
    public static class FilterCondition extends Structure {
        public GuidStruct fieldKey = new GuidStruct();
        public int matchType;
        public Value conditionValue = new Value();

        public FilterCondition() {
            super(ALIGN_MSVC);
        }

        public FilterCondition(Pointer p) {
            super(p, ALIGN_MSVC);
        }
    }

    /** {@code FWPM_FILTER0} (200 bytes). */
    @Structure.FieldOrder({"filterKey", "displayData", "flags", "providerKey", "providerData", "layerKey",
            "subLayerKey", "weight", "numFilterConditions", "filterCondition", "action", "rawContext", "reserved",
            "filterId", "effectiveWeight"})
    public static class Filter extends Structure {
        public GuidStruct filterKey = new GuidStruct();
        public DisplayData displayData = new DisplayData();
        public int flags;
        public Pointer providerKey;
        public ByteBlob providerData = new ByteBlob();
        public GuidStruct layerKey = new GuidStruct();
        public GuidStruct subLayerKey = new GuidStruct();
        public Value weight = new Value();
        public int numFilterConditions;
        public Pointer filterCondition;
        public Action action = new Action();
        /** The union of {@code rawContext} (UINT64) and {@code providerContextKey} (GUID). */
        public long[] rawContext = new long[2];
        public Pointer reserved;
        public long filterId;
        public Value effectiveWeight = new Value();

        public Filter() {
            super(ALIGN_MSVC);
        }
    }

    /** {@code FWPM_SESSION0} (72 bytes). */
    @Structure.FieldOrder({"sessionKey", "displayData", "flags", "txnWaitTimeoutInMSec", "processId", "sid",
            "username", "kernelMode"})
    public static class Session extends Structure {
        public GuidStruct sessionKey = new GuidStruct();
        public DisplayData displayData = new DisplayData();
        public int flags;
        public int txnWaitTimeoutInMSec;
        public int processId;
        public Pointer sid;
        public Pointer username;
        public int kernelMode;

        public Session() {
            super(ALIGN_MSVC);
        }
    }

    /** {@code FWPM_PROVIDER0} (64 bytes). */
    @Structure.FieldOrder({"providerKey", "displayData", "flags", "providerData", "serviceName"})
    public static class Provider extends Structure {
        public GuidStruct providerKey = new GuidStruct();
        public DisplayData displayData = new DisplayData();
        public int flags;
        public ByteBlob providerData = new ByteBlob();
        public Pointer serviceName;

        public Provider() {
            super(ALIGN_MSVC);
        }
    }

    /** {@code FWPM_SUBLAYER0} (72 bytes). */
    @Structure.FieldOrder({"subLayerKey", "displayData", "flags", "providerKey", "providerData", "weight"})
    public static class Sublayer extends Structure {
        public GuidStruct subLayerKey = new GuidStruct();
        public DisplayData displayData = new DisplayData();
        public short flags;
        public Pointer providerKey;
        public ByteBlob providerData = new ByteBlob();
        public short weight;

        public Sublayer() {
            super(ALIGN_MSVC);
        }
    }
}
