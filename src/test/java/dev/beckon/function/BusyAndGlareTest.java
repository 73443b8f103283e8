package dev.beckon.function;

import dev.beckon.support.BackingServices;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Busy and glare against a single Redis. */
@QuarkusTest
@WithTestResource(BackingServices.class)
class BusyAndGlareTest extends BusyAndGlareSpec {
}
