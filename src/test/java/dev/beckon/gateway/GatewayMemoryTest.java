package dev.beckon.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import dev.beckon.store.Shards;
import dev.beckon.support.Api;
import dev.beckon.support.AsyncApi;
import dev.beckon.support.BackingServices;
import dev.beckon.support.Pause;
import dev.beckon.support.SseClient;
import dev.beckon.support.Tokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The gateway's memory stays bounded under load: 2,000 open streams of 200 users, 100,000 events
 * through them and pub/sub connection losses in the middle of it. After the losses every stream
 * has every event of its user exactly once, and the heap after a full GC stays within
 * {@link #HEAP_BUDGET_MIB} MiB above what the JVM used before the streams opened. The streams'
 * clients run in the same JVM and count in that figure; they keep only a count and a last id each.
 */
@QuarkusTest
@WithTestResource(BackingServices.class)
class GatewayMemoryTest {

    private static final Logger LOG = Logger.getLogger(GatewayMemoryTest.class);

    static final int USERS = 200;
    static final int STREAMS_PER_USER = 10;
    static final int EVENTS = 100_000;
    static final int INVITEES = 9;
    /** Heap growth allowed, all streams and clients included; see the README's Limits. */
    static final long HEAP_BUDGET_MIB = 160;

    @Inject
    MeterRegistry registry;

    @Test
    void twoThousandStreamsStayWithinTheHeapBudgetThroughPubSubLosses() throws Exception {
        List<String> users = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            users.add(Api.unique("mem" + i));
            tokens.add(Tokens.user(users.get(i)));
        }
        double skippedBefore = counter("beckon.events.live.read.back");
        double roundsBefore = counter("beckon.sessions.read.rounds");
        long baseline = heapAfterGc();

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CountingStream> streams = new ArrayList<>();
        for (int copy = 0; copy < STREAMS_PER_USER; copy++) {
            for (int u = 0; u < USERS; u++) {
                streams.add(CountingStream.open(http, users.get(u), tokens.get(u)));
            }
        }
        for (CountingStream stream : streams) {
            stream.awaitOpen();
        }
        long withStreams = heapAfterGc();

        // conferences of 1 + 9 users; each makes invitations, participant changes and ringing receipts
        AsyncApi api = new AsyncApi(16);
        List<Long> samples = new ArrayList<>();
        int losses = 0;
        int conference = 0;
        long started = System.nanoTime();
        for (long stored = 0; stored < EVENTS; stored = storedEvents(users)) {
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 100; i++, conference++) {
                int owner = conference % USERS;
                StringBuilder body = new StringBuilder("{\"participants\":[");
                for (int k = 1; k <= INVITEES; k++) {
                    body.append(k > 1 ? "," : "").append("{\"userId\":\"").append(users.get((owner + k * 7) % USERS)).append("\"}");
                }
                calls.add(api.post(tokens.get(owner), "createConference", body.append("]}").toString()));
            }
            if (stored >= (losses + 1) * (EVENTS / 4)) {
                // a loss while the calls above are being answered and delivered
                BackingServices.redis().call("CLIENT", "KILL", "TYPE", "pubsub");
                losses++;
                Pause.sleep(20);
                samples.add(heapAfterGc());
            }
            for (CompletableFuture<HttpResponse<String>> call : calls) {
                assertEquals(200, call.get(30, TimeUnit.SECONDS).statusCode());
            }
        }
        long produced = System.nanoTime() - started;

        // every stream ends with exactly its user's events: as many as the streams hold, and the same last id
        long expectedTotal = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<Long> expected = new ArrayList<>();
        long settled = -1;
        while (true) {
            long now = storedEvents(users);
            if (now == settled) {
                break;
            }
            settled = now;
            Pause.sleep(500);
        }
        for (String user : users) {
            expected.add(storedEvents(List.of(user)));
        }
        for (int i = 0; i < streams.size(); i++) {
            CountingStream stream = streams.get(i);
            long want = expected.get(i % USERS);
            while (stream.events() < want && System.nanoTime() < deadline) {
                Pause.sleep(20);
            }
            assertEquals(want, stream.events(), stream.user + " stream " + i / USERS + ": every event once");
            assertEquals(streams.get(i % USERS).lastId(), stream.lastId(), stream.user + ": all streams end at the same position");
            expectedTotal += want;
        }
        Pause.sleep(500);
        for (int i = 0; i < streams.size(); i++) {
            assertEquals(expected.get(i % USERS), streams.get(i).events(), "no event twice");
        }
        long afterAll = heapAfterGc();
        samples.add(withStreams);
        samples.add(afterAll);
        long peak = samples.stream().mapToLong(Long::longValue).max().orElseThrow();

        double skipped = counter("beckon.events.live.read.back") - skippedBefore;
        double rounds = counter("beckon.sessions.read.rounds") - roundsBefore;
        LOG.infof(Locale.ROOT, "%d streams, %d stored events (%d deliveries) in %.1f s, %d pub/sub losses, %.0f live events"
                        + " left to read back, %.0f read rounds; heap after GC: baseline %.1f MiB, with streams +%.1f MiB,"
                        + " after losses %s, at the end +%.1f MiB",
                streams.size(), settled, expectedTotal, produced / 1e9, losses, skipped, rounds, mib(baseline),
                mib(withStreams - baseline), samples.subList(0, losses).stream().map(s -> String.format(Locale.ROOT, "+%.1f", mib(s - baseline))).toList(),
                mib(afterAll - baseline));
        assertEquals(3, losses);
        assertTrue(settled >= EVENTS, "at least " + EVENTS + " events went through");
        assertTrue(rounds >= streams.size() * losses, "every stream read back after each loss");
        assertTrue(peak - baseline < HEAP_BUDGET_MIB << 20,
                "heap after GC grew by " + mib(peak - baseline) + " MiB, budget " + HEAP_BUDGET_MIB + " MiB");

        streams.forEach(CountingStream::close);
    }

    private double counter(String name) {
        var counter = registry.find(name).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Entries in the users' event streams, every shard. */
    private static long storedEvents(List<String> users) {
        List<String[]> lengths = new ArrayList<>();
        for (String user : users) {
            for (int shard = 0; shard < Shards.COUNT; shard++) {
                lengths.add(new String[] { "XLEN", Shards.eventStream(shard, user) });
            }
        }
        return BackingServices.redis().callAll(lengths).stream().mapToLong(n -> ((Number) n).longValue()).sum();
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    /** A device that reads its stream and keeps only how many events came and the last id. */
    private static final class CountingStream implements Flow.Subscriber<String> {

        final String user;
        private final CountDownLatch opened = new CountDownLatch(1);
        private final AtomicLong events = new AtomicLong();
        private volatile String lastId;
        private volatile Flow.Subscription subscription;
        private final AtomicInteger status = new AtomicInteger();

        private CountingStream(String user) {
            this.user = user;
        }

        static CountingStream open(HttpClient http, String user, String token) {
            CountingStream stream = new CountingStream(user);
            HttpRequest request = HttpRequest.newBuilder(URI.create(SseClient.baseUrl() + "/events"))
                    .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build();
            http.sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(stream))
                    .whenComplete((response, failure) -> stream.status.set(response == null ? -1 : response.statusCode()));
            return stream;
        }

        void awaitOpen() throws InterruptedException {
            assertTrue(opened.await(30, TimeUnit.SECONDS), user + ": the stream opened (status " + status.get() + ")");
        }

        long events() {
            return events.get();
        }

        String lastId() {
            return lastId;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (line.startsWith("id:")) {
                lastId = line.substring(3).trim();
                opened.countDown();
            } else if (line.startsWith("data:")) {
                events.incrementAndGet();
            }
        }

        @Override
        public void onError(Throwable failure) {
        }

        @Override
        public void onComplete() {
        }

        void close() {
            Flow.Subscription current = subscription;
            if (current != null) {
                current.cancel();
            }
        }
    }
}
