package dev.beckon.store;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * At most one log line per interval for a failure that can repeat on every request (Redis down
 * answers each call with a 503), with the count of those not logged since the last line: an
 * operator sees why at once without the log drowning.
 */
final class RateLimitedWarning {

    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final AtomicLong nextAllowed;
    private final AtomicLong suppressed = new AtomicLong();

    RateLimitedWarning(java.time.Duration interval, LongSupplier nanoClock) {
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
        this.nextAllowed = new AtomicLong(nanoClock.getAsLong());
    }

    /** The line to log now for {@code reason}, or null when one was logged less than an interval ago. */
    String line(String reason) {
        long now = nanoClock.getAsLong();
        long next = nextAllowed.get();
        if (now - next < 0 || !nextAllowed.compareAndSet(next, now + intervalNanos)) {
            suppressed.incrementAndGet();
            return null;
        }
        long before = suppressed.getAndSet(0);
        return before == 0 ? reason : reason + " (" + before + " more since the last such line)";
    }
}
