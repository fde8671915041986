package io.wirefx.platform.unix;

import io.wirefx.ipc.Role;
import io.wirefx.platform.Caller;
import io.wirefx.platform.EndpointAccess;
import io.wirefx.platform.LocalConnection;
import io.wirefx.platform.LocalEndpoints;
import io.wirefx.platform.LocalServer;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Local endpoints as Unix domain sockets (Linux and macOS): the caller's user and primary group come from the
 * socket's peer credentials ({@code SO_PEERCRED}; the JDK maps it to {@code LOCAL_PEERCRED} on macOS), its role from
 * a {@link GroupAuthorizer} over the system's account database.
 *
 * <p>An endpoint with operators is a socket of mode 0660 owned by the operator group where that group exists (the
 * kernel then turns away everyone else; callers are still judged by their credentials); an administrators-only
 * endpoint (UAPI) is mode 0600 and admits only root and the socket's owner, like wireguard-go's. The parent directory is created 0755 if missing.
 */
public final class UnixSocketEndpoints implements LocalEndpoints {
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> GROUP_MODE = PosixFilePermissions.fromString("rw-rw----");
    private static final Set<PosixFilePermission> OWNER_MODE = PosixFilePermissions.fromString("rw-------");
    private static final int BACKLOG = 256;

    /** How a listening socket notices that its file was deleted or replaced ({@link LocalServer#awaitRemoval}). */
    public enum RemovalWatch {
        /** Change events on the socket's directory: where the JDK's watch service is the kernel's (inotify). */
        DIRECTORY_EVENTS,
        /** A check once a second: where the JDK's watch service only polls itself (macOS). */
        POLL
    }

    private final AccountDatabase accounts;
    private final Authorizer policy;
    private final RemovalWatch removalWatch;

    /** Roles from the groups of {@link EndpointAccess}, looked up in {@code accounts}. */
    public UnixSocketEndpoints(AccountDatabase accounts, RemovalWatch removalWatch) {
        this.accounts = Objects.requireNonNull(accounts, "accounts");
        this.policy = null;
        this.removalWatch = Objects.requireNonNull(removalWatch, "removalWatch");
    }

    /** As above, with {@link RemovalWatch#POLL}, which works everywhere. */
    public UnixSocketEndpoints(AccountDatabase accounts) {
        this(accounts, RemovalWatch.POLL);
    }

    /** Roles from a fixed policy, whatever the endpoint's groups (an embedding application decides itself). */
    public UnixSocketEndpoints(Authorizer policy) {
        this.accounts = null;
        this.policy = Objects.requireNonNull(policy, "policy");
        this.removalWatch = RemovalWatch.POLL;
    }

    @Override
    public LocalServer listen(String address, EndpointAccess access) throws IOException {
        Path socket = Path.of(address);
        createDirectory(socket.toAbsolutePath().getParent());
        removeIfStale(socket);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        boolean ok = false;
        try {
            server.bind(UnixDomainSocketAddress.of(socket), BACKLOG); // fails if another server took it meanwhile
            // Until the chmod the mode is 0777 & ~umask; a caller that connects in that instant is still judged by
            // its credentials at accept.
            boolean operators = access.operatorGroup() != null;
            if (operators) {
                setGroup(socket, access.operatorGroup());
            }
            Files.setPosixFilePermissions(socket, operators ? GROUP_MODE : OWNER_MODE);
            Object fileKey = Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .fileKey();
            UserPrincipal owner = Files.getOwner(socket, LinkOption.NOFOLLOW_LINKS);
            Authorizer authorizer;
            if (policy != null) {
                authorizer = policy;
            } else if (access.operatorGroup() == null) {
                authorizer = (user, primaryGroup) -> user.equals(owner.getName()) || user.equals("root")
                        ? Optional.of(Role.ADMIN) : Optional.empty();
            } else {
                authorizer = new GroupAuthorizer(access.adminGroup(), access.operatorGroup(), accounts);
            }
            ok = true;
            return new UnixServer(socket, server, fileKey, authorizer, removalWatch);
        } finally {
            if (!ok) {
                server.close();
                Files.deleteIfExists(socket);
            }
        }
    }

    /** True if a server accepts connections on {@code socket}; false if refused, missing or not a socket. */
    public static boolean isLive(Path socket) {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    /** A live server behind {@code socket} is an error; a stale socket (or other non-directory file) is removed. */
    private static void removeIfStale(Path socket) throws IOException {
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(socket, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(socket + " exists and is a directory");
        }
        if (isLive(socket)) {
            throw new IOException(socket + " is in use: another service is listening on it");
        }
        Files.deleteIfExists(socket);
    }

    private static void createDirectory(Path directory) throws IOException {
        if (directory == null || Files.isDirectory(directory)) {
            return;
        }
        Path parent = directory.getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try {
            Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(DIR_MODE));
            Files.setPosixFilePermissions(directory, DIR_MODE); // not reduced by the umask
        } catch (FileAlreadyExistsException raced) {
            if (!Files.isDirectory(directory)) {
                throw raced;
            }
        }
    }

    /** Gives the socket to {@code group} if that group exists. */
    private static void setGroup(Path socket, String group) throws IOException {
        try {
            GroupPrincipal g = FileSystems.getDefault().getUserPrincipalLookupService()
                    .lookupPrincipalByGroupName(group);
            Files.setAttribute(socket, "posix:group", g, LinkOption.NOFOLLOW_LINKS);
        } catch (UserPrincipalNotFoundException e) {
            // the socket stays in the owner's group: only root gets in until the group is created
        }
    }

    private static final class UnixServer implements LocalServer {
        private final Path socket;
        private final ServerSocketChannel channel;
        private final Object fileKey;
        private final Authorizer authorizer;
        private final RemovalWatch removalWatch;
        private volatile boolean closed;

        UnixServer(Path socket, ServerSocketChannel channel, Object fileKey, Authorizer authorizer,
                RemovalWatch removalWatch) {
            this.socket = socket;
            this.channel = channel;
            this.fileKey = fileKey;
            this.authorizer = authorizer;
            this.removalWatch = removalWatch;
        }

        @Override
        public String address() {
            return socket.toString();
        }

        @Override
        public LocalConnection accept() throws IOException {
            SocketChannel c = channel.accept();
            return new UnixConnection(c, identify(c));
        }

        private Caller identify(SocketChannel c) {
            try {
                UnixDomainPrincipal peer = c.getOption(ExtendedSocketOptions.SO_PEERCRED);
                String user = peer.user().getName();
                return new Caller(user, authorizer.roleOf(user, peer.group().getName()));
            } catch (IOException | RuntimeException e) {
                return new Caller("(unknown)", Optional.empty());
            }
        }

        /** The socket file is still the one this server created (not deleted, not replaced). */
        @Override
        public boolean stillPresent() {
            try {
                Object key = Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                        .fileKey();
                return fileKey == null || fileKey.equals(key);
            } catch (IOException gone) {
                return false;
            }
        }

        /**
         * With {@link RemovalWatch#DIRECTORY_EVENTS}, sleeps until the socket's directory changes and then checks
         * the socket; else (or when no watch can be set up) checks once a second.
         */
        @Override
        public void awaitRemoval() throws InterruptedException {
            DirectoryEvents events = removalWatch == RemovalWatch.DIRECTORY_EVENTS ? DirectoryEvents.get() : null;
            if (events != null) {
                try {
                    events.register(socket.toAbsolutePath().getParent());
                } catch (IOException | ClosedWatchServiceException e) {
                    events = null;
                }
            }
            if (events == null) {
                LocalServer.super.awaitRemoval();
                return;
            }
            while (true) {
                long seen = events.generation();
                if (!stillPresent()) {
                    return;
                }
                events.awaitChange(seen);
            }
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            boolean ours = stillPresent();
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            if (ours) {
                try {
                    Files.deleteIfExists(socket);
                } catch (IOException ignored) {
                    // a leftover socket is replaced by the next listen
                }
            }
        }
    }

    private record UnixConnection(SocketChannel channel, Caller caller) implements LocalConnection {
        @Override
        public int read(ByteBuffer dst) throws IOException {
            return channel.read(dst);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return channel.write(src);
        }

        @Override
        public boolean isOpen() {
            return channel.isOpen();
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
