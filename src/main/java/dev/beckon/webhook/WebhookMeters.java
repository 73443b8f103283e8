package dev.beckon.webhook;

import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The webhook metrics, under the names the README documents. */
final class WebhookMeters {

    private final Counter delivered;
    private final Counter failed;
    private final Counter deadLettered;
    private final AtomicLong deadLetterSize = new AtomicLong();

    WebhookMeters(MeterRegistry registry, InFlight inFlight) {
        delivered = registry.counter("beckon.webhook.attempts", "outcome", "delivered");
        failed = registry.counter("beckon.webhook.attempts", "outcome", "failed");
        deadLettered = registry.counter("beckon.webhook.dead.letters");
        registry.gauge("beckon.webhook.dead.letter.size", deadLetterSize);
        registry.gauge("beckon.webhook.in.flight", inFlight, InFlight::size);
    }

    void delivered() {
        delivered.increment();
    }

    void failed() {
        failed.increment();
    }

    void deadLettered(long listSize) {
        deadLettered.increment();
        deadLetterSize(listSize);
    }

    void deadLetterSize(long size) {
        deadLetterSize.set(Math.min(size, DeadLetters.KEPT));
    }
}
