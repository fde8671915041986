package io.wirefx.daemon.ipc;

import io.wirefx.daemon.store.ConfigStore;
import io.wirefx.daemon.store.ImportOutcome;
import io.wirefx.daemon.store.StoreException;
import io.wirefx.ipc.ImportEntry;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@link ConfigStore} calls as the tunnel services answer them over IPC: the store's errors become
 * {@link TunnelServiceException}s ({@link TunnelViews#exception}), imports become {@link ImportEntry}s. Shared by the real
 * service and the simulated one, which differ only in what they check around these calls.
 */
public final class StoreCalls {

    /** A store call with a result. */
    @FunctionalInterface
    public interface Call<T> {
        T call() throws StoreException, IOException;
    }

    /** A store call without a result. */
    @FunctionalInterface
    public interface Action {
        void run() throws StoreException, IOException;
    }

    private StoreCalls() {
    }

    public static <T> T call(Call<T> call) throws TunnelServiceException {
        try {
            return call.call();
        } catch (StoreException e) {
            throw TunnelViews.exception(e);
        } catch (IOException e) {
            throw TunnelViews.exception(e);
        }
    }

    public static void run(Action action) throws TunnelServiceException {
        call(() -> {
            action.run();
            return null;
        });
    }

    /** Imports one file's text; {@code changed} hears of it when it was stored. */
    public static List<ImportEntry> importText(ConfigStore store, String name, String text, boolean replace,
            Consumer<String> changed) throws TunnelServiceException {
        ImportOutcome o = call(() -> store.importText(name, text, replace));
        if (o.ok()) {
            changed.accept("imported " + name);
        }
        return List.of(TunnelViews.importEntry(o));
    }

    /** Imports a zip's entries; {@code changed} hears of it when at least one was stored. */
    public static List<ImportEntry> importZip(ConfigStore store, byte[] zip, boolean replace,
            Consumer<String> changed) throws TunnelServiceException {
        List<ImportOutcome> out = call(() -> store.importZip(zip, replace));
        long ok = out.stream().filter(ImportOutcome::ok).count();
        if (ok > 0) {
            changed.accept("imported " + ok + " tunnel(s) from a zip");
        }
        return out.stream().map(TunnelViews::importEntry).toList();
    }
}
