package dev.beckon.function;

import io.quarkus.test.junit.QuarkusIntegrationTest;

@QuarkusIntegrationTest
class CreateConferenceIT extends CreateConferenceTest {
}
