package dev.beckon.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.TimeoutException;

/** Commands beyond the limit wait their turn, and a place is never lost, whatever the caller does. */
class ClusterCommandLimitTest {

    @Test
    void noMoreThanTheLimitRunAtOnceAndEveryCommandRuns() throws Exception {
        ClusterCommandLimit limit = new ClusterCommandLimit(3, 1000);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<CompletableFuture<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int n = i;
            results.add(limit.run(() -> Uni.createFrom().item(n)
                    .invoke(() -> most.accumulateAndGet(running.incrementAndGet(), Math::max))
                    .onItem().delayIt().by(Duration.ofMillis(2))
                    .invoke(running::decrementAndGet))
                    .subscribeAsCompletionStage());
        }
        for (int i = 0; i < results.size(); i++) {
            assertEquals(i, results.get(i).get(10, TimeUnit.SECONDS));
        }
        assertTrue(most.get() <= 3, "at most 3 at once, saw " + most.get());
        assertEquals(0, limit.inFlight());
    }

    @Test
    void aCallerThatGivesUpWhileWaitingOrBeforeItsCommandStartsLosesNoPlace() throws Exception {
        ClusterCommandLimit limit = new ClusterCommandLimit(1, 1000);
        CompletableFuture<String> blocker = new CompletableFuture<>();
        CompletableFuture<String> first = limit.run(() -> Uni.createFrom().completionStage(blocker)).subscribeAsCompletionStage();
        // these wait behind the first and give up
        List<CompletableFuture<String>> impatient = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            impatient.add(limit.run(() -> Uni.createFrom().item("late"))
                    .ifNoItem().after(Duration.ofMillis(20)).fail()
                    .subscribeAsCompletionStage());
        }
        for (CompletableFuture<String> waiter : impatient) {
            try {
                waiter.get(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException expected) {
                assertTrue(expected.getCause() instanceof TimeoutException);
            }
        }
        blocker.complete("done");
        assertEquals("done", first.get(5, TimeUnit.SECONDS));
        assertEquals(0, limit.inFlight());
        // the place is free again
        assertEquals("next", limit.run(() -> Uni.createFrom().item("next")).await().atMost(Duration.ofSeconds(5)));
        assertEquals(0, limit.inFlight());
    }

    @Test
    void pastTheWaitingBoundACommandFailsAtOnce() {
        ClusterCommandLimit limit = new ClusterCommandLimit(1, 1);
        CompletableFuture<String> blocker = new CompletableFuture<>();
        limit.run(() -> Uni.createFrom().completionStage(blocker)).subscribeAsCompletionStage();
        limit.run(() -> Uni.createFrom().item("waits")).subscribeAsCompletionStage();
        CompletableFuture<String> third = limit.run(() -> Uni.createFrom().item("refused")).subscribeAsCompletionStage();
        assertTrue(third.isCompletedExceptionally());
        blocker.complete("done");
    }
}
