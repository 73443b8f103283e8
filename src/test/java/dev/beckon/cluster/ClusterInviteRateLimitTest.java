package dev.beckon.cluster;

import java.util.Map;

import dev.beckon.ratelimit.InviteRateLimitSpec;
import dev.beckon.support.ClusterBackingServices;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The invitation rate limit on a three-master Redis Cluster: the bucket lives in its user's own
 * slot, so it is charged before the step and what did not ring is given back after it.
 */
@QuarkusTest
@TestProfile(ClusterInviteRateLimitTest.FivePerMinuteOnCluster.class)
@WithTestResource(ClusterBackingServices.class)
class ClusterInviteRateLimitTest extends InviteRateLimitSpec {

    /** A profile of its own, so this application instance is the one wired to the cluster. */
    public static class FivePerMinuteOnCluster implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return new FivePerMinute().getConfigOverrides();
        }
    }
}
