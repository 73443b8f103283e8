package dev.beckon.device;

import static dev.beckon.device.Devices.ids;
import static dev.beckon.device.Devices.list;
import static dev.beckon.device.Devices.registered;
import static dev.beckon.device.Devices.subscription;
import static dev.beckon.device.Devices.unregister;
import static dev.beckon.device.Devices.webPush;
import static dev.beckon.support.Api.unique;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.beckon.redis.EmbeddedRedisServer;
import dev.beckon.support.ClusterBackingServices;
import dev.beckon.support.LocalRedisCluster;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The device registry on a three-master Redis Cluster, which refuses a script that touches two
 * slots: every step succeeding shows each stays in its user's slot, and a device changing hands
 * between users on different nodes still ends with its new user only.
 */
@QuarkusTest
@TestProfile(DeviceClusterTest.OnCluster.class)
@WithTestResource(ClusterBackingServices.class)
class DeviceClusterTest {

    /** A profile of its own, so this application instance is the one wired to the cluster. */
    public static class OnCluster implements QuarkusTestProfile {
    }

    @Inject
    DeviceStore store;

    @Test
    void devicesAreRegisteredRenewedCappedAndUnregisteredOnEveryNode() {
        LocalRedisCluster cluster = ClusterBackingServices.cluster();
        List<String> users = new ArrayList<>();
        List<EmbeddedRedisServer> seen = new ArrayList<>();
        while (seen.size() < cluster.nodes().size()) {
            String user = unique("user");
            EmbeddedRedisServer node = cluster.nodeOf(DeviceStore.keyPrefix(user));
            if (!seen.contains(node)) {
                seen.add(node);
                users.add(user);
            }
        }
        for (String user : users) {
            List<Map<String, Object>> subscriptions = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i <= DeviceStore.MAX_PER_USER; i++) {
                subscriptions.add(subscription());
                ids.add(registered(user, webPush(subscriptions.get(i))));
            }
            List<String> kept = ids(user);
            assertEquals(ids.subList(1, ids.size()), kept, user + " keeps the latest twenty");
            assertEquals(ids.get(5), registered(user, webPush(subscriptions.get(5))), "renewed, not duplicated");
            unregister(user, ids.get(5)).then().statusCode(200).body("deviceId", is(ids.get(5)));
            assertFalse(ids(user).contains(ids.get(5)));

            EmbeddedRedisServer node = cluster.nodeOf(DeviceStore.keyPrefix(user));
            long ttl = (Long) node.call("PTTL", DeviceStore.keyPrefix(user) + "d");
            assertTrue(ttl > DeviceStore.TTL.minusMinutes(1).toMillis(), "the keys live 60 days: " + ttl);
        }
    }

    @Test
    void aDeviceChangingHandsBetweenUsersOnDifferentNodesRingsOnlyForItsNewUser() {
        LocalRedisCluster cluster = ClusterBackingServices.cluster();
        String alice = unique("alice");
        String bob = unique("bob");
        while (cluster.nodeOf(DeviceStore.keyPrefix(bob)) == cluster.nodeOf(DeviceStore.keyPrefix(alice))) {
            bob = unique("bob");
        }
        Map<String, Object> shared = subscription();
        String alicesDevice = registered(alice, webPush(shared));

        String bobsDevice = registered(bob, webPush(shared));

        assertNotEquals(alicesDevice, bobsDevice);
        list(alice).then().statusCode(200).body("devices", empty());
        assertEquals(List.of(bobsDevice), store.targets(bob).await().indefinitely().stream().map(PushTarget::deviceId).toList());
        // and back again
        String alicesAgain = registered(alice, webPush(shared));
        assertEquals(List.of(alicesAgain), ids(alice));
        list(bob).then().statusCode(200).body("devices", empty());
        assertTrue(store.forget(alice, alicesAgain).await().indefinitely());
        assertTrue(store.targets(alice).await().indefinitely().isEmpty());
    }
}
