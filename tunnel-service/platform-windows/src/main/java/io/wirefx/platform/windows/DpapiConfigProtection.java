package io.wirefx.platform.windows;

import io.wirefx.platform.ConfigProtection;

import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;

/**
 * The store's {@link ConfigProtection} on Windows: each configuration sealed by a {@link ConfigProtector} (DPAPI,
 * {@link DpapiProtector}) with the tunnel name as the data description, in {@code NAME.conf.dpapi}. Opening checks the
 * description against the name the file is stored under, so a sealed file copied over another tunnel's is refused.
 */
public final class DpapiConfigProtection implements ConfigProtection {

    static final String SUFFIX = ".conf.dpapi";

    private final ConfigProtector protector;

    public DpapiConfigProtection(ConfigProtector protector) {
        this.protector = Objects.requireNonNull(protector, "protector");
    }

    @Override
    public String fileSuffix() {
        return SUFFIX;
    }

    @Override
    public byte[] seal(String tunnel, byte[] plain) throws IOException {
        return protector.protect(plain, tunnel);
    }

    @Override
    public byte[] open(String tunnel, byte[] sealed) throws IOException {
        ConfigProtector.Unprotected u = protector.unprotect(sealed);
        if (!tunnel.equals(u.description())) {
            Arrays.fill(u.plain(), (byte) 0);
            throw new IOException("it was sealed for tunnel \"" + u.description() + "\", not \"" + tunnel + "\"");
        }
        return u.plain();
    }

    @Override
    public String toString() {
        return "DPAPI";
    }
}
