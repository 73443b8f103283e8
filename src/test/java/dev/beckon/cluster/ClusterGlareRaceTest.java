package dev.beckon.cluster;

import dev.beckon.faults.GlareRaceSpec;
import dev.beckon.support.ClusterBackingServices;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Pairs calling each other at once on a three-master Redis Cluster: 1,000 pairs at 50 a second,
 * two requests in flight (each pair's two calls, which race each other). With 8 or 32 in flight
 * some Redis calls on the local cluster went unanswered for over 30 s, which looks like the
 * cluster client's pool deadlock during a slot-map refresh (vertx-redis-client#541, fixed by
 * #548 in 5.x), not like anything about glare; single-Redis runs take 64 in flight.
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
        return 2;
    }
}
