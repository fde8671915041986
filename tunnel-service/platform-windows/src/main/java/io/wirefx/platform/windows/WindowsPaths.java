package io.wirefx.platform.windows;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where WireFX keeps things on Windows, defined once. Everything lives under {@code %ProgramData%\WireFX}, a directory
 * the installer creates with {@link #DATA_DIR_SDDL} (SYSTEM and Administrators only, inherited, protected from the
 * parent's ACL), so neither configs, journals nor logs are readable or plantable by other users.
 *
 * @param programData the {@code %ProgramData%} directory
 */
public record WindowsPaths(Path programData) {

    /** The protected DACL of the data directory (owner and group SYSTEM; full access for SYSTEM and Administrators). */
    public static final String DATA_DIR_SDDL = "O:SYG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)";
    /** How plans name the service's executable before it is known. */
    public static final String SERVICE_EXECUTABLE_PLACEHOLDER = "<the WireFX service's java.exe>";
    /**
     * The IPC pipe of the service (see {@link PipeSecurity}). The CLI's and the app's default address,
     * {@code NamedPipeTransport.SERVICE_PIPE} (ipc-windows), is the same name.
     */
    public static final String IPC_PIPE = "\\\\.\\pipe\\WireFX\\service";
    /** wireguard-go's UAPI pipe prefix: only Administrators and SYSTEM can create pipes under it. */
    public static final String UAPI_PIPE_PREFIX = "\\\\.\\pipe\\ProtectedPrefix\\Administrators\\WireGuard\\";

    public WindowsPaths {
        Objects.requireNonNull(programData, "programData");
    }

    /** From the environment's {@code ProgramData} (default {@code C:\ProgramData}). */
    public static WindowsPaths fromEnvironment(Map<String, String> env) {
        return new WindowsPaths(Path.of(env.getOrDefault("ProgramData", "C:\\ProgramData")));
    }

    /** {@code %ProgramData%\WireFX}. */
    public Path root() {
        return programData.resolve("WireFX");
    }

    /** Encrypted tunnel configs ({@code NAME.conf.dpapi}). */
    public Path tunnels() {
        return root().resolve("Tunnels");
    }

    /** Undo journals of running tunnels. */
    public Path state() {
        return root().resolve("State");
    }

    /** Service log files. */
    public Path logs() {
        return root().resolve("Logs");
    }

    /** The UAPI pipe of an interface, where {@code wg.exe} of wireguard-windows looks. */
    public static String uapiPipe(String interfaceName) {
        return UAPI_PIPE_PREFIX + interfaceName;
    }
}
