package dev.beckon.faults;

import dev.beckon.support.BackingServices;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** 1,000 pairs calling each other at once, against a single Redis. */
@QuarkusTest
@TestProfile(GlareRaceTest.Patient.class)
@WithTestResource(BackingServices.class)
class GlareRaceTest extends GlareRaceSpec {

    /**
     * The race's outcome is under test, not latency: on a loaded test machine a Redis call can
     * wait past the usual 3 s, and a 503 would leave a pair's outcome unknown.
     */
    public static class Patient implements QuarkusTestProfile {
        @Override
        public java.util.Map<String, String> getConfigOverrides() {
            return java.util.Map.of("beckon.redis.timeout", "30s");
        }
    }

    @Override
    protected int pairs() {
        return Integer.getInteger("race.pairs", 1_000);
    }
}
