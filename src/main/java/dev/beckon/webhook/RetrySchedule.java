package dev.beckon.webhook;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a failed delivery is tried again, and when it is given up: the first retry waits
 * {@code initial}, each further one twice as long, up to {@code cap}, each spread by ±20 % so the
 * retries of a burst of events do not all hit the receiver at once. A pure function of the
 * number of failures, so it can never yield a zero wait.
 */
public record RetrySchedule(Duration initial, Duration cap, int maxAttempts) {

    /** The wait never goes under this, whatever the settings. */
    static final Duration FLOOR = Duration.ofMillis(10);
    static final double JITTER = 0.2;

    public RetrySchedule {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    /** Whether an event that failed {@code attempts} times goes to the dead letters instead of another attempt. */
    public boolean exhausted(int attempts) {
        return attempts >= maxAttempts;
    }

    /** The wait before the next try after {@code failures} failures, with random jitter. */
    public Duration delayAfter(int failures) {
        return delayAfter(failures, ThreadLocalRandom.current().nextDouble(-JITTER, JITTER));
    }

    /**
     * The wait before the next try after {@code failures} failures (0 or less counts as 1: a try
     * that failed before reaching the receiver is backed off like a first failure), spread by
     * {@code jitter} in [-0.2, 0.2].
     */
    public Duration delayAfter(int failures, double jitter) {
        int doublings = Math.min(Math.max(failures, 1) - 1, 30);
        long capMillis = Math.max(cap.toMillis(), FLOOR.toMillis());
        long base = Math.max(initial.toMillis(), FLOOR.toMillis());
        long millis = base > (capMillis >> doublings) ? capMillis : Math.min(base << doublings, capMillis);
        double spread = Math.max(-JITTER, Math.min(JITTER, jitter));
        return Duration.ofMillis(Math.max(FLOOR.toMillis(), Math.round(millis * (1 + spread))));
    }
}
