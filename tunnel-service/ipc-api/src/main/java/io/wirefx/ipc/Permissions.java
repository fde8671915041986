package io.wirefx.ipc;

/** Which role may send which request (the service enforces it; a UI can use it to disable controls). */
public final class Permissions {
    private Permissions() {
    }

    /** The least role that may send {@code request}. */
    public static Role requiredRole(Request request) {
        return switch (request) {
            case Request.Ping p -> Role.OPERATOR;
            case Request.ListTunnels l -> Role.OPERATOR;
            case Request.GetTunnel g -> Role.OPERATOR;
            case Request.StartTunnel s -> Role.OPERATOR;
            case Request.StopTunnel s -> Role.OPERATOR;
            case Request.GetStats s -> Role.OPERATOR;
            case Request.LogTail t -> Role.OPERATOR;
            case Request.LogFollow f -> Role.OPERATOR;
            case Request.Subscribe s -> Role.OPERATOR;
            case Request.GetSettings g -> Role.OPERATOR;
            case Request.SetSettings s -> Role.ADMIN;
            case Request.ImportTunnels i -> Role.ADMIN;
            case Request.CreateTunnel c -> Role.ADMIN;
            case Request.UpdateTunnel u -> Role.ADMIN;
            case Request.RenameTunnel r -> Role.ADMIN;
            case Request.DeleteTunnel d -> Role.ADMIN;
            case Request.Export e -> Role.ADMIN;
        };
    }

    /** True if a caller with {@code role} may send {@code request}. */
    public static boolean allows(Role role, Request request) {
        return role == Role.ADMIN || requiredRole(request) == Role.OPERATOR;
    }
}
