package io.wirefx.platform;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** Finds the {@link Platform} implementations on the class path with {@link ServiceLoader}. */
public final class Platforms {
    private Platforms() {
    }

    /** Every platform on the class path, available here or not. */
    public static List<Platform> all() {
        List<Platform> out = new ArrayList<>();
        ServiceLoader.load(Platform.class).forEach(out::add);
        return out;
    }

    /** The platform called {@code id}, whether or not it can run here (for plans and documentation). */
    public static Optional<Platform> byId(String id) {
        return all().stream().filter(p -> p.id().equals(id)).findFirst();
    }

    /**
     * The platform of this machine: the first one that is available.
     *
     * @throws PlatformUnavailableException naming each platform found and why it does not fit, or saying that none is
     *                                      on the class path
     */
    public static Platform current() throws PlatformUnavailableException {
        List<Platform> all = all();
        for (Platform p : all) {
            if (p.unavailabilityCause().isEmpty()) {
                return p;
            }
        }
        if (all.isEmpty()) {
            throw new PlatformUnavailableException("no platform module is on the class path");
        }
        throw new PlatformUnavailableException("no platform module fits this machine ("
                + System.getProperty("os.name") + "): " + all.stream()
                .map(p -> p.id() + ": " + p.unavailabilityCause().orElse("?"))
                .collect(Collectors.joining("; ")));
    }

    /** Ids of the platforms on the class path, for usage texts. */
    public static List<String> ids() {
        return all().stream().map(Platform::id).toList();
    }
}
