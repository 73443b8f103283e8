package dev.beckon.cluster;

import dev.beckon.faults.GlareRaceSpec;
import dev.beckon.support.ClusterBackingServices;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Pairs calling each other at once on a three-master Redis Cluster: 1,000 pairs at 50 a second
 * with 32 requests in flight, each request several Redis commands. More commands pending than
 * the client's pool holds once deadlocked the cluster client for good (see
 * ClusterCommandLimit); here they must all be answered.
 */
@QuarkusTest
@TestProfile(ClusterGlareRaceTest.OnCluster.class)
@WithTestResource(ClusterBackingServices.class)
class ClusterGlareRaceTest extends GlareRaceSpec {

    /** A profile of its own, so this application instance is the one wired to the cluster. */
    public static class OnCluster implements QuarkusTestProfile {
        @Override
        public java.util.Map<String, String> getConfigOverrides() {
            // the race's outcome is under test, not latency: on a loaded test machine a Redis call
            // can wait past the usual 3 s, and a 503 would leave a pair's outcome unknown
            return java.util.Map.of("beckon.redis.timeout", "30s");
        }
    }

    @Override
    protected int pairs() {
        return Integer.getInteger("race.cluster-pairs", 1_000);
    }

    @Override
    protected int pairsPerSecond() {
        return 50;
    }

    @Override
    protected int concurrency() {
        return 32;
    }
}
