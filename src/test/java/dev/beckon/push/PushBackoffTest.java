package dev.beckon.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** How long a push answered "retry" waits before its next attempt. */
class PushBackoffTest {

    @Test
    void theWaitDoublesWithEachFailureBetweenHalfAndAllOfItUpToThirtySeconds() {
        long[] ceilings = { 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000 };
        for (int failures = 1; failures <= ceilings.length; failures++) {
            for (int i = 0; i < 200; i++) {
                long wait = PushDispatcher.delayAfter(failures, Duration.ZERO).toMillis();
                long ceiling = ceilings[failures - 1];
                assertTrue(wait >= ceiling / 2 && wait <= ceiling, "after " + failures + " failures: " + wait + " ms");
            }
        }
        assertEquals(30_000, PushDispatcher.delayAfter(1_000, Duration.ZERO).toMillis(), 15_000);
    }

    @Test
    void neverBeforeTheRetryAfterThePushServiceAskedFor() {
        for (int i = 0; i < 200; i++) {
            assertTrue(PushDispatcher.delayAfter(1, Duration.ofSeconds(7)).toMillis() >= 7_000);
            assertTrue(PushDispatcher.delayAfter(6, Duration.ofSeconds(45)).toMillis() >= 45_000);
        }
    }
}
