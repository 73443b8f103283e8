package dev.beckon.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** Why Beckon answers 503 is logged at once, then at most once per interval with a count of the rest. */
class RateLimitedWarningTest {

    private final AtomicLong clock = new AtomicLong(1_000);
    private final RateLimitedWarning warning = new RateLimitedWarning(Duration.ofSeconds(10), clock::get);

    @Test
    void theFirstFailureIsLoggedAtOnce() {
        assertEquals("Redis is unavailable: Connection refused", warning.line("Redis is unavailable: Connection refused"));
    }

    @Test
    void repeatsWithinTheIntervalAreCountedThenReported() {
        warning.line("down");
        for (int i = 0; i < 41; i++) {
            clock.addAndGet(Duration.ofMillis(200).toNanos());
            assertNull(warning.line("down"));
        }
        clock.addAndGet(Duration.ofSeconds(2).toNanos());
        assertEquals("still down (41 more since the last such line)", warning.line("still down"));
        assertNull(warning.line("still down"));
        clock.addAndGet(Duration.ofSeconds(10).toNanos());
        assertEquals("again (1 more since the last such line)", warning.line("again"));
    }
}
