package dev.beckon.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The documented schedule: 1 s doubling to a minute, ±20 % jitter, 8 attempts, and never a zero wait. */
class RetryScheduleTest {

    private final RetrySchedule schedule = new RetrySchedule(Duration.ofSeconds(1), Duration.ofMinutes(1), 8);

    @Test
    void waitsDoubleFromTheInitialBackoffUpToTheCap() {
        long[] expected = { 1000, 1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000 };
        for (int failures = 0; failures <= 8; failures++) {
            assertEquals(Duration.ofMillis(expected[failures]), schedule.delayAfter(failures, 0), "after " + failures + " failures");
        }
        assertEquals(Duration.ofMinutes(1), schedule.delayAfter(1000, 0), "far past the cap");
        assertEquals(Duration.ofMinutes(1), schedule.delayAfter(Integer.MAX_VALUE, 0), "no overflow");
    }

    @Test
    void aFailureBeforeTheFirstAttemptWaitsLikeAFirstFailureNotZero() {
        assertEquals(Duration.ofSeconds(1), schedule.delayAfter(0, 0));
        assertEquals(Duration.ofSeconds(1), schedule.delayAfter(-1, 0));
        for (int i = 0; i < 1000; i++) {
            assertTrue(schedule.delayAfter(0).toMillis() >= 800);
        }
    }

    @Test
    void jitterSpreadsEachWaitByAtMostTwentyPercent() {
        assertEquals(Duration.ofMillis(800), schedule.delayAfter(1, -0.2));
        assertEquals(Duration.ofMillis(1200), schedule.delayAfter(1, 0.2));
        assertEquals(Duration.ofMillis(72000), schedule.delayAfter(20, 5.0), "jitter is clamped");
        for (int i = 0; i < 1000; i++) {
            long wait = schedule.delayAfter(3).toMillis();
            assertTrue(wait >= 3200 && wait <= 4800, wait + " ms");
        }
    }

    @Test
    void tinySettingsStillNeverGiveATightLoop() {
        RetrySchedule zero = new RetrySchedule(Duration.ZERO, Duration.ZERO, 3);
        for (int failures = -1; failures <= 5; failures++) {
            assertTrue(zero.delayAfter(failures).compareTo(RetrySchedule.FLOOR) >= 0);
        }
    }

    @Test
    void theEventIsGivenUpAfterTheLastAttempt() {
        for (int attempts = 0; attempts < 8; attempts++) {
            assertFalse(schedule.exhausted(attempts), attempts + " attempts");
        }
        assertTrue(schedule.exhausted(8));
        assertTrue(schedule.exhausted(9));
        assertThrows(IllegalArgumentException.class, () -> new RetrySchedule(Duration.ofSeconds(1), Duration.ofMinutes(1), 0));
    }
}
