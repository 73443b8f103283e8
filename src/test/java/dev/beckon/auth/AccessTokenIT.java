package dev.beckon.auth;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** Production refuses to start without a signing key; here the test supplies one, as an operator would. */
@QuarkusIntegrationTest
class AccessTokenIT extends AccessTokenTest {
}
