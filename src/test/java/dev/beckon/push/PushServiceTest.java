package dev.beckon.push;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The facade's own promises: a deadline on every attempt, and no sender work on the subscriber's thread. */
class PushServiceTest {

    /** A push service that takes the request and never answers. */
    static final class SilentSender implements PushSender {
        final AtomicReference<Thread> calledOn = new AtomicReference<>();

        @Override
        public Platform platform() {
            return Platform.fcm;
        }

        @Override
        public CompletableFuture<PushOutcome> send(PushTarget target, PushMessage message) {
            calledOn.set(Thread.currentThread());
            return new CompletableFuture<>();
        }
    }

    @Test
    void anAttemptWithoutAnswerEndsAtTheDeadlineAsRetry() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SilentSender silent = new SilentSender();
        PushService push = new PushService(Map.of(Platform.fcm, silent), Duration.ofMillis(300), registry);

        long started = System.nanoTime();
        PushOutcome outcome = push.send(PushTarget.fcm("device-1"), Events.ringing("inv-1", "Alice", Instant.now().plusSeconds(30)))
                .await().atMost(Duration.ofSeconds(10));

        assertThat(outcome, instanceOf(PushOutcome.Retry.class));
        assertThat(outcome.reason(), is("timed out"));
        assertThat(Duration.ofNanos(System.nanoTime() - started).toMillis(), lessThan(5_000L));
        assertThat(silent.calledOn.get(), is(not(Thread.currentThread())));
        assertThat(registry.get("beckon.push.attempts").tags("platform", "fcm", "outcome", "retry").counter().count(), is(1.0));
    }

    @Test
    void nothingIsSentUntilSubscribed() {
        SilentSender silent = new SilentSender();
        PushService push = new PushService(Map.of(Platform.fcm, silent), Duration.ofMillis(300), new SimpleMeterRegistry());

        push.send(PushTarget.fcm("device-1"), Events.ringing("inv-1", "Alice", Instant.now().plusSeconds(30)));

        Awaitility.await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> silent.calledOn.get() == null);
    }
}
