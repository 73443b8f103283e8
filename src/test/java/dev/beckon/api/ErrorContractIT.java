package dev.beckon.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

@QuarkusIntegrationTest
class ErrorContractIT extends ErrorContractTest {
}
