package io.wirefx.platform.windows;

import com.sun.jna.platform.win32.Crypt32;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.WinCrypt;
import com.sun.jna.ptr.PointerByReference;
import io.wirefx.tun.windows.Wide;

import java.io.IOException;

/**
 * {@link ConfigProtector} with DPAPI. The service runs as LocalSystem and calls {@code CryptProtectData} with
 * {@code CRYPTPROTECT_UI_FORBIDDEN} only, so the key is LocalSystem's: only code running as SYSTEM can decrypt. The
 * machine scope ({@code CRYPTPROTECT_LOCAL_MACHINE}) would let any local user's process decrypt a copied file, so it
 * is deliberately not used (wireguard-windows makes the same choice). The tunnel name is the data description and is
 * returned on decryption for the store to check. Windows only.
 */
public final class DpapiProtector implements ConfigProtector {

    static final int CRYPTPROTECT_UI_FORBIDDEN = 0x1;

    @Override
    public byte[] protect(byte[] plain, String description) throws IOException {
        WinCrypt.DATA_BLOB in = new WinCrypt.DATA_BLOB(plain);
        WinCrypt.DATA_BLOB out = new WinCrypt.DATA_BLOB();
        if (!Crypt32.INSTANCE.CryptProtectData(in, description, null, null, null, CRYPTPROTECT_UI_FORBIDDEN, out)) {
            throw new WindowsException("CryptProtectData", Kernel32.INSTANCE.GetLastError());
        }
        try {
            return out.getData();
        } finally {
            Kernel32.INSTANCE.LocalFree(out.pbData);
        }
    }

    @Override
    public Unprotected unprotect(byte[] cipher) throws IOException {
        WinCrypt.DATA_BLOB in = new WinCrypt.DATA_BLOB(cipher);
        WinCrypt.DATA_BLOB out = new WinCrypt.DATA_BLOB();
        PointerByReference descr = new PointerByReference();
        if (!Crypt32.INSTANCE.CryptUnprotectData(in, descr, null, null, null, CRYPTPROTECT_UI_FORBIDDEN, out)) {
            throw new WindowsException("CryptUnprotectData", Kernel32.INSTANCE.GetLastError());
        }
        try {
            return new Unprotected(out.getData(), Wide.read(descr.getValue()));
        } finally {
            Kernel32.INSTANCE.LocalFree(out.pbData);
            Kernel32.INSTANCE.LocalFree(descr.getValue());
        }
    }
}
