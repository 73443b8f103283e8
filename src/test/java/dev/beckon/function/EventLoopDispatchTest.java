package dev.beckon.function;

import static dev.beckon.support.Api.as;
import static dev.beckon.support.Api.unique;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import dev.beckon.support.BackingServices;
import dev.beckon.support.Tokens;
import io.quarkus.runtime.ExecutorRecorder;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;

/** The functions run on the event loop: they need no worker thread, so a busy worker pool does not hold them up. */
@QuarkusTest
@WithTestResource(BackingServices.class)
class EventLoopDispatchTest {

    private static final RestAssuredConfig TEN_SECONDS = RestAssuredConfig.config().httpClient(HttpClientConfig.httpClientConfig()
            .setParam("http.socket.timeout", 10_000).setParam("http.connection.timeout", 10_000));

    @Test
    void aCallIsAnsweredWhileEveryWorkerThreadIsBusy() {
        int workers = ConfigProvider.getConfig().getOptionalValue("quarkus.thread-pool.max-threads", Integer.class)
                .orElse(Math.max(8 * Runtime.getRuntime().availableProcessors(), 200));
        Executor pool = ExecutorRecorder.getCurrent();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(workers);
        try {
            // every worker thread waits, and more work queues behind them
            for (int i = 0; i < workers + 16; i++) {
                pool.execute(() -> {
                    running.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> running.getCount() == 0);

            String alice = unique("alice");
            String bob = unique("bob");
            String invitationId = as(Tokens.user(alice)).config(TEN_SECONDS)
                    .body(Map.of("participants", List.of(Map.of("userId", bob))))
                    .when().post("/createConference")
                    .then().statusCode(200)
                    .extract().path("invitations[0].invitationId");
            as(Tokens.user(bob)).config(TEN_SECONDS)
                    .body(Map.of("invitationId", invitationId, "action", "accept"))
                    .when().post("/respond")
                    .then().statusCode(200)
                    .body("state", is("ACCEPTED"));
            // and a refused call is answered as well, with the contract's error
            as(Tokens.user(bob)).config(TEN_SECONDS).body("{")
                    .when().post("/respond")
                    .then().statusCode(400)
                    .body("error", is("invalid_request"));
        } finally {
            release.countDown();
        }
    }
}
