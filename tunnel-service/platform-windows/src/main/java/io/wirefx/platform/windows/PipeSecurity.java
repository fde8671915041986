package io.wirefx.platform.windows;

/**
 * Security of the two named pipes the service serves.
 *
 * <h2>Why a named pipe for the app's IPC (and not AF_UNIX)</h2>
 * <ul>
 *   <li>Caller identity: the server impersonates the client ({@code ImpersonateNamedPipeClient}) and reads the
 *   thread's token: the token of the very connection, with its groups and elevation. AF_UNIX on Windows passes no
 *   credentials; the only way there is the peer's process id ({@code SIO_AF_UNIX_GETPEERPID}) and then opening that
 *   process, which races with the process exiting and its id being reused.</li>
 *   <li>Access control: the pipe's security descriptor is checked by the kernel at open, remote clients are refused
 *   ({@code PIPE_REJECT_REMOTE_CLIENTS}) and the first instance is created with {@code FILE_FLAG_FIRST_PIPE_INSTANCE}, so
 *   no other process can squat the name before the service. For AF_UNIX the ACL of the socket file and its directory
 *   would have to do this, with rules Microsoft documents only in a blog post.</li>
 *   <li>One mechanism: the UAPI endpoint has to be a named pipe anyway (that is where {@code wg.exe} looks).</li>
 * </ul>
 * The pipe admits SYSTEM, Administrators and interactive users; which of them may do what is then decided from the
 * token ({@link CallerAuthorizer}), so an outsider gets a clear refusal instead of "access denied".
 */
public final class PipeSecurity {

    /**
     * wireguard-go's UAPI pipe descriptor: owner SYSTEM; protected DACL with GENERIC_ALL for SYSTEM and Administrators
     * only; a High mandatory label (no write, read or execute up), which shuts out non-elevated admin processes.
     */
    public static final String UAPI_SDDL = "O:SYD:P(A;;GA;;;SY)(A;;GA;;;BA)S:(ML;;NWNRNX;;;HI)";

    /** The app IPC pipe: SYSTEM and Administrators full; interactive users read/write (then authorized by token). */
    public static final String IPC_SDDL = "O:SYD:P(A;;GA;;;SY)(A;;GA;;;BA)(A;;GRGW;;;IU)";

    /** {@code PIPE_ACCESS_DUPLEX}. */
    public static final int PIPE_ACCESS_DUPLEX = 0x3;
    /** {@code FILE_FLAG_FIRST_PIPE_INSTANCE}. */
    public static final int FILE_FLAG_FIRST_PIPE_INSTANCE = 0x80000;
    /** {@code FILE_FLAG_OVERLAPPED}. */
    public static final int FILE_FLAG_OVERLAPPED = 0x40000000;
    /** {@code PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT | PIPE_REJECT_REMOTE_CLIENTS}. */
    public static final int PIPE_MODE = 0x8;

    private PipeSecurity() {
    }
}
