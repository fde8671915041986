package io.wirefx.platform.windows;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DefaultInterfaceBinderTest {

    static final long TUNNEL = 77;
    final FakeNetworkApi api = new FakeNetworkApi();
    final List<String> pins = new ArrayList<>();

    @Test
    void pinsToTheBestDefaultRouteThatIsNotTheTunnelAndFollowsChanges() throws Exception {
        api.defaultRoutes.put(Family.IPV4, List.of(
                new NetworkApi.DefaultRoute(TUNNEL, 40, 0, true),      // the tunnel's own /0: never
                new NetworkApi.DefaultRoute(11, 12, 35, true),         // Wi-Fi
                new NetworkApi.DefaultRoute(21, 22, 25, true),         // Ethernet: lowest metric
                new NetworkApi.DefaultRoute(31, 32, 5, false)));       // down
        try (DefaultInterfaceBinder b = new DefaultInterfaceBinder(api, TUNNEL,
                (f, index) -> pins.add(f + " " + index), Runnable::run, s -> { })) {
            b.start();
            assertEquals(List.of("IPv4 22"), pins);
            api.changeDefaultRoutes(Family.IPV4, List.of(new NetworkApi.DefaultRoute(11, 12, 35, true)));
            assertEquals(List.of("IPv4 22", "IPv4 12"), pins, "Ethernet unplugged: re-pinned to Wi-Fi");
            api.changeDefaultRoutes(Family.IPV4, List.of(new NetworkApi.DefaultRoute(11, 12, 35, true)));
            assertEquals(2, pins.size(), "no change, no re-pin");
            api.changeDefaultRoutes(Family.IPV4, List.of());
            assertEquals(Map.of(Family.IPV4, 12), b.pinned(), "no default route left: the pin stays");
        }
        assertEquals(List.of(), api.routeSubscribers, "close cancels the notification");
    }
}
