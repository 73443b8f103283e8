package dev.beckon.faults;

import dev.beckon.support.BackingServices;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** 1,000 pairs calling each other at once, against a single Redis. */
@QuarkusTest
@WithTestResource(BackingServices.class)
class GlareRaceTest extends GlareRaceSpec {

    @Override
    protected int pairs() {
        return Integer.getInteger("race.pairs", 1_000);
    }
}
