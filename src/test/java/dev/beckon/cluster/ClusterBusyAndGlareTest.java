package dev.beckon.cluster;

import dev.beckon.function.BusyAndGlareSpec;
import dev.beckon.support.ClusterBackingServices;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Busy and glare on a three-master Redis Cluster: the busy markers live in the users' own slots,
 * apart from the conferences whose state changes write them.
 */
@QuarkusTest
@TestProfile(ClusterBusyAndGlareTest.OnCluster.class)
@WithTestResource(ClusterBackingServices.class)
class ClusterBusyAndGlareTest extends BusyAndGlareSpec {

    /** A profile of its own, so this application instance is the one wired to the cluster. */
    public static class OnCluster implements QuarkusTestProfile {
    }
}
