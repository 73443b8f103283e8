package dev.beckon.function;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The respond rules against the packaged application (production profile). */
@QuarkusIntegrationTest
class InvitationLifecycleIT extends RespondTest {
}
