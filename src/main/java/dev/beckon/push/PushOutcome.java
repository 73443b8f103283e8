package dev.beckon.push;

import java.time.Duration;
import java.util.Optional;

/**
 * What one push attempt came to: delivered to the push service; the device is gone (forget it);
 * a transient failure worth retrying while the invitation still rings (with the push service's
 * {@code Retry-After}, when it gave one); or a failure that retrying this message cannot fix.
 */
public sealed interface PushOutcome {

    enum Kind {
        delivered, gone, retry, failed
    }

    Kind kind();

    /** What the push service said, for logs; empty for a delivery. */
    String reason();

    static PushOutcome delivered() {
        return Delivered.INSTANCE;
    }

    static PushOutcome gone(String reason) {
        return new Gone(reason);
    }

    static PushOutcome retry(String reason, Optional<Duration> retryAfter) {
        return new Retry(reason, retryAfter);
    }

    static PushOutcome retry(String reason) {
        return new Retry(reason, Optional.empty());
    }

    static PushOutcome failed(String reason) {
        return new Failed(reason);
    }

    record Delivered() implements PushOutcome {
        static final Delivered INSTANCE = new Delivered();

        @Override
        public Kind kind() {
            return Kind.delivered;
        }

        @Override
        public String reason() {
            return "";
        }
    }

    /** The push service says this device no longer exists; the caller forgets it. */
    record Gone(String reason) implements PushOutcome {
        @Override
        public Kind kind() {
            return Kind.gone;
        }
    }

    /** Rate limited, unavailable or timed out: try again later, not before {@code retryAfter}. */
    record Retry(String reason, Optional<Duration> retryAfter) implements PushOutcome {
        @Override
        public Kind kind() {
            return Kind.retry;
        }
    }

    /** Refused for good (bad request, payload too large, credentials rejected). */
    record Failed(String reason) implements PushOutcome {
        @Override
        public Kind kind() {
            return Kind.failed;
        }
    }
}
