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
import dev.beckon.support.Pause;
import dev.beckon.support.SseClient;
import dev.beckon.support.Tokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The gateway's memory stays bounded under load: 2,000 open streams of 200 users, 100,000 events
 * of those users (each written to the user's 10 streams: 1,000,000 SSE events) and pub/sub
 * connection losses in the middle of it. After the losses every stream
 * has every event of its user exactly once, and the heap after a full GC stays within
 * {@link #HEAP_BUDGET_MIB} MiB above what the JVM used before the streams opened. The streams'
 * clients run in the same JVM and count in that figure; they keep only a count and a last id each.
 * (No webhook receiver here: one that keeps what it gets would grow with the events.)
 */
@QuarkusTest
@WithTestResource(GatewayOnlyServices.class)
class GatewayMemoryTest {

    private static final Logger LOG = Logger.getLogger(GatewayMemoryTest.class);

    static final int USERS = 200;
    static final int STREAMS_PER_USER = 10;
    /** SSE events written to the streams in all: each event of a user goes to their 10 streams. */
    static final int DELIVERIES = Integer.getInteger("memory-test.deliveries", 1_000_000);
    static final int EVENTS = DELIVERIES / STREAMS_PER_USER;
    static final int INVITEES = 9;
    /** Heap growth allowed, all streams and clients included; see the README's Limits. */
    static final long HEAP_BUDGET_MIB = 128;

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
        // one stream first, so Redis has the scripts before the crowd comes
        SseClient.connect(tokens.get(0)).close();
        List<CountingStream> streams = new ArrayList<>();
        for (int copy = 0; copy < STREAMS_PER_USER; copy++) {
            List<CountingStream> wave = new ArrayList<>();
            for (int u = 0; u < USERS; u++) {
                wave.add(CountingStream.open(http, users.get(u), tokens.get(u)));
            }
            for (CountingStream stream : wave) {
                stream.awaitOpen();
            }
            streams.addAll(wave);
        }
        long withStreams = heapAfterGc();

        // conferences of 1 + 9 users; each makes invitations, participant changes and ringing receipts
        AsyncApi api = new AsyncApi(8);
        List<Long> samples = new ArrayList<>();
        int losses = 0;
        int conference = 0;
        int refused = 0;
        long started = System.nanoTime();
        for (long stored = 0; stored < EVENTS; stored = storedEvents(users)) {
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 25; i++, conference++) {
                int owner = conference % USERS;
                StringBuilder body = new StringBuilder("{\"participants\":[");
                for (int k = 1; k <= INVITEES; k++) {
                    body.append(k > 1 ? "," : "").append("{\"userId\":\"").append(users.get((owner + k * 7) % USERS)).append("\"}");
                }
                calls.add(api.post(tokens.get(owner), "createConference", body.append("]}").toString()));
            }
            if (stored >= (losses + 1) * (EVENTS / 4)) {
                // a loss while the calls above are being answered and delivered
                GatewayOnlyServices.redis().call("CLIENT", "KILL", "TYPE", "pubsub");
                losses++;
                Pause.sleep(20);
                samples.add(heapAfterGc());
            }
            for (CompletableFuture<HttpResponse<String>> call : calls) {
                int status = call.get(30, TimeUnit.SECONDS).statusCode();
                // on a crowded machine Redis may be slower than Beckon's timeout (503): the events count, not each call
                assertTrue(status == 200 || status == 503, "createConference answered " + status);
                refused += status == 503 ? 1 : 0;
            }
            LOG.infof("%d conferences, %d events stored, %d refused, %.1f s", conference, stored, refused,
                    (System.nanoTime() - started) / 1e9);
        }
        long produced = System.nanoTime() - started;

        // every stream ends with exactly its user's events (ringing receipts still come for a while):
        // as many as the user's streams in Redis hold, twice a second apart, and all at the same last id
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        List<Long> expected = perUser(users);
        int matching = 0;
        while (matching < 2 && System.nanoTime() < deadline) {
            Pause.sleep(1000);
            List<Long> now = perUser(users);
            boolean all = now.equals(expected);
            for (int i = 0; i < streams.size() && all; i++) {
                all = streams.get(i).events() == now.get(i % USERS);
            }
            matching = all ? matching + 1 : 0;
            expected = now;
        }
        long settled = expected.stream().mapToLong(Long::longValue).sum();
        long expectedTotal = 0;
        for (int i = 0; i < streams.size(); i++) {
            CountingStream stream = streams.get(i);
            long want = expected.get(i % USERS);
            if (stream.events() != want) {
                LOG.infof("%s stream %d: %d of %d events; streams closed: %s; reconnects: %d", stream.user, i / USERS,
                        stream.events(), want, closedByReason(), streams.stream().mapToInt(CountingStream::reconnects).sum());
            }
            assertEquals(want, stream.events(), stream.user + " stream " + i / USERS + ": every event once");
            assertEquals(streams.get(i % USERS).lastId(), stream.lastId(), stream.user + ": all streams end at the same position");
            expectedTotal += want;
        }
        long afterAll = heapAfterGc();
        LOG.info("largest classes on the heap at the end:\n" + histogram(30));
        samples.add(withStreams);
        samples.add(afterAll);
        long peak = samples.stream().mapToLong(Long::longValue).max().orElseThrow();

        double skipped = counter("beckon.events.live.read.back") - skippedBefore;
        double rounds = counter("beckon.sessions.read.rounds") - roundsBefore;
        LOG.info(String.format(Locale.ROOT, "%d streams, %d stored events (%d deliveries) in %.1f s, %d pub/sub losses, %.0f live events"
                        + " left to read back, %.0f read rounds, streams closed %s, %d reconnects; heap after GC: baseline %.1f MiB,"
                        + " with streams +%.1f MiB, after losses %s, at the end +%.1f MiB",
                streams.size(), settled, expectedTotal, produced / 1e9, losses, skipped, rounds, closedByReason(),
                streams.stream().mapToInt(CountingStream::reconnects).sum(), mib(baseline),
                mib(withStreams - baseline), samples.subList(0, losses).stream().map(s -> String.format(Locale.ROOT, "+%.1f", mib(s - baseline))).toList(),
                mib(afterAll - baseline)));
        assertEquals(3, losses);
        assertTrue(expectedTotal >= DELIVERIES, "at least " + DELIVERIES + " events went through the streams");
        assertTrue(rounds >= streams.size() * losses, "every stream read back after each loss");
        assertTrue(peak - baseline < HEAP_BUDGET_MIB << 20,
                "heap after GC grew by " + mib(peak - baseline) + " MiB, budget " + HEAP_BUDGET_MIB + " MiB");

        streams.forEach(CountingStream::close);
    }

    private List<String> closedByReason() {
        return registry.find("beckon.sessions.closed").counters().stream()
                .map(c -> c.getId().getTag("reason") + "=" + (long) c.count()).toList();
    }

    private double counter(String name) {
        var counter = registry.find(name).counter();
        return counter == null ? 0 : counter.count();
    }

    private static List<Long> perUser(List<String> users) {
        List<Long> counts = new ArrayList<>();
        for (String user : users) {
            counts.add(storedEvents(List.of(user)));
        }
        return counts;
    }

    /** Entries in the users' event logs, every shard. */
    private static long storedEvents(List<String> users) {
        List<String[]> lengths = new ArrayList<>();
        for (String user : users) {
            for (int shard = 0; shard < Shards.COUNT; shard++) {
                lengths.add(new String[] { "LLEN", Shards.eventStream(shard, user) });
            }
        }
        return GatewayOnlyServices.redis().callAll(lengths).stream().mapToLong(n -> ((Number) n).longValue()).sum();
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The first {@code lines} of the JVM's class histogram (after a full GC), as {@code jcmd GC.class_histogram} prints it. */
    private static String histogram(int lines) throws Exception {
        Object text = ManagementFactory.getPlatformMBeanServer().invoke(
                new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] { null }, new String[] { String[].class.getName() });
        return String.join("\n", text.toString().lines().limit(lines + 3).toList());
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    /**
     * A device that reads its stream and keeps only how many events came and the last id; like a
     * browser's EventSource, it reconnects with {@code Last-Event-ID} when the stream ends.
     */
    private static final class CountingStream {

        final String user;
        private final HttpClient http;
        private final String token;
        private final CountDownLatch opened = new CountDownLatch(1);
        private final AtomicLong events = new AtomicLong();
        private final AtomicInteger reconnects = new AtomicInteger();
        private volatile String lastId;
        private volatile boolean closed;
        private volatile Flow.Subscription subscription;

        private CountingStream(HttpClient http, String user, String token) {
            this.http = http;
            this.user = user;
            this.token = token;
        }

        static CountingStream open(HttpClient http, String user, String token) {
            CountingStream stream = new CountingStream(http, user, token);
            stream.connect();
            return stream;
        }

        private void connect() {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(SseClient.baseUrl() + "/events"))
                    .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream");
            if (lastId != null) {
                request.header("Last-Event-ID", lastId);
            }
            http.sendAsync(request.build(), HttpResponse.BodyHandlers.fromLineSubscriber(new Lines()))
                    .whenComplete((response, failure) -> reconnect());
        }

        private void reconnect() {
            if (!closed) {
                reconnects.incrementAndGet();
                CompletableFuture.delayedExecutor(500, TimeUnit.MILLISECONDS).execute(this::connect);
            }
        }

        void awaitOpen() throws InterruptedException {
            assertTrue(opened.await(30, TimeUnit.SECONDS), user + ": the stream opened");
        }

        long events() {
            return events.get();
        }

        int reconnects() {
            return reconnects.get();
        }

        String lastId() {
            return lastId;
        }

        void close() {
            closed = true;
            Flow.Subscription current = subscription;
            if (current != null) {
                current.cancel();
            }
        }

        /** One connection's lines. */
        private final class Lines implements Flow.Subscriber<String> {

            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                s.request(Long.MAX_VALUE);
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
        }
    }
}
