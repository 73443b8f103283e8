package dev.beckon.ratelimit;

import dev.beckon.support.BackingServices;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The invitation rate limit against a single Redis: the invite step keeps the bucket. */
@QuarkusTest
@TestProfile(InviteRateLimitSpec.FivePerMinute.class)
@WithTestResource(BackingServices.class)
class InviteRateLimitTest extends InviteRateLimitSpec {
}
