package dev.beckon.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.beckon.redis.EmbeddedRedisServer;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;

/**
 * The outbox as two instances share it, against a real Redis: the attempts made on an entry
 * are kept in Redis, so an instance that takes the entry over from another goes on counting
 * where the other stopped.
 */
class OutboxTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static EmbeddedRedisServer server;
    private static Vertx vertx;
    private static Redis client;
    private static RedisLink link;

    @BeforeAll
    static void start() {
        server = new EmbeddedRedisServer(EmbeddedRedisServer.freePort()).start();
        vertx = Vertx.vertx();
        client = Redis.createClient(vertx, new RedisOptions().setConnectionString(server.uri()));
        link = new RedisLink(client, TIMEOUT);
    }

    @AfterAll
    static void stop() {
        link.close();
        client.close();
        vertx.closeAndAwait();
        server.stop();
    }

    private static Outbox instance(String consumer) {
        return new Outbox(link, consumer, Duration.ofHours(1));
    }

    private static String emit(int shard, String subject) {
        return (String) server.call("XADD", Outbox.key(shard), "*", "e", "{\"id\":\"ev-" + subject + "\"}", "u", subject,
                "t", "invitation.received");
    }

    private static List<OutboxEntry> readNew(Outbox outbox, int shard) {
        int[] shards = { shard };
        return Outbox.parseRead(shards, link.send(outbox.readNew(shards, 10, Duration.ofMillis(100)), TIMEOUT.plusSeconds(1))
                .await().atMost(TIMEOUT.plusSeconds(2)));
    }

    @Test
    void aMissingStreamIsCreatedWithItsGroupAndATtl() {
        int shard = 1;
        server.call("DEL", Outbox.key(shard));
        instance("a").createGroup(shard).await().atMost(TIMEOUT);
        long ttl = (Long) server.call("PTTL", Outbox.key(shard));
        assertTrue(ttl > 0, "the stream expires like every key (" + ttl + ")");
        instance("a").createGroup(shard).await().atMost(TIMEOUT);
        long again = (Long) server.call("PTTL", Outbox.key(shard));
        // it only ran down meanwhile: a reset TTL would be back at the full period, above the first reading
        assertTrue(again <= ttl && again > ttl - 5_000, "an existing stream keeps its TTL (" + ttl + " then " + again + ")");
    }

    @Test
    void attemptsSurviveATakeoverByAnotherInstance() {
        int shard = 3;
        Outbox a = instance("a"), b = instance("b");
        a.createGroup(shard).await().atMost(TIMEOUT);
        String entryId = emit(shard, "bob");

        List<OutboxEntry> read = readNew(a, shard);
        assertEquals(1, read.size());
        OutboxEntry entry = read.get(0);
        assertEquals(entryId, entry.entryId());
        assertEquals(0, entry.attempts(), "a new entry has had no attempts");
        assertEquals("bob", entry.subject());
        assertEquals("invitation.received", entry.type());

        a.recordAttempts(entry, 3).await().atMost(TIMEOUT);
        List<OutboxEntry> takenByB = b.reclaim(shard, Duration.ZERO, 10).await().atMost(TIMEOUT);
        assertEquals(1, takenByB.size());
        assertEquals(3, takenByB.get(0).attempts(), "b goes on from a's three attempts");

        b.recordAttempts(takenByB.get(0), 5).await().atMost(TIMEOUT);
        List<OutboxEntry> takenBack = a.reclaim(shard, Duration.ZERO, 10).await().atMost(TIMEOUT);
        assertEquals(5, takenBack.get(0).attempts());

        a.finish(shard, List.of(takenBack.get(0).entryId())).await().atMost(TIMEOUT);
        assertEquals(0L, server.call("XLEN", Outbox.key(shard)));
        assertEquals(List.of(), b.reclaim(shard, Duration.ZERO, 10).await().atMost(TIMEOUT));
    }

    @Test
    void anEntryTakenOverBeforeAnyAttemptHasHadNone() {
        int shard = 5;
        Outbox a = instance("a"), b = instance("b");
        a.createGroup(shard).await().atMost(TIMEOUT);
        emit(shard, "carol");
        assertEquals(1, readNew(a, shard).size());
        List<OutboxEntry> taken = b.reclaim(shard, Duration.ZERO, 10).await().atMost(TIMEOUT);
        assertEquals(1, taken.size());
        assertEquals(0, taken.get(0).attempts());
    }

    @Test
    void onlyEntriesIdleLongEnoughAreTakenOver() {
        int shard = 7;
        Outbox a = instance("a"), b = instance("b");
        a.createGroup(shard).await().atMost(TIMEOUT);
        emit(shard, "dave");
        OutboxEntry entry = readNew(a, shard).get(0);
        a.recordAttempts(entry, 1).await().atMost(TIMEOUT);
        assertEquals(List.of(), b.reclaim(shard, Duration.ofMinutes(2), 10).await().atMost(TIMEOUT),
                "a touched it just now");
    }

    @Test
    void deliveryCountersMapToAttempts() {
        assertEquals(0, Outbox.attemptsOf(0));
        assertEquals(0, Outbox.attemptsOf(2));
        assertEquals(6, Outbox.attemptsOf(8));
    }

    @Test
    void entriesFinishedTogetherAreAcknowledgedAndRemovedInOneBatch() throws Exception {
        int shard = 9;
        Outbox a = instance("a");
        a.createGroup(shard).await().atMost(TIMEOUT);
        for (String subject : List.of("erin", "frank", "grace")) {
            emit(shard, subject);
        }
        List<OutboxEntry> entries = readNew(a, shard);
        assertEquals(3, entries.size());
        server.call("CONFIG", "RESETSTAT");

        Acknowledgements acknowledgements = new Acknowledgements(vertx, a);
        CountDownLatch done = new CountDownLatch(3);
        entries.forEach(entry -> acknowledgements.finish(entry, done::countDown));
        assertTrue(done.await(3, TimeUnit.SECONDS), "each finish is called back once its batch is acknowledged");

        assertEquals(0L, server.call("XLEN", Outbox.key(shard)));
        assertEquals(0L, ((List<?>) server.call("XPENDING", Outbox.key(shard), Outbox.GROUP)).get(0));
        String stats = (String) server.call("INFO", "commandstats");
        assertTrue(stats.contains("cmdstat_xack:calls=1,") && stats.contains("cmdstat_xdel:calls=1,"),
                "one XACK and one XDEL for the three: " + stats);
    }
    @Test
    void aStopAcknowledgesWhatFinishedBeforeItAndLeavesLaterEntriesPending() throws Exception {
        int shard = 10;
        Outbox a = instance("a");
        a.createGroup(shard).await().atMost(TIMEOUT);
        for (String subject : List.of("heidi", "ivan")) {
            emit(shard, subject);
        }
        List<OutboxEntry> entries = readNew(a, shard);
        assertEquals(2, entries.size());

        Acknowledgements acknowledgements = new Acknowledgements(vertx, a);
        CountDownLatch first = new CountDownLatch(1);
        acknowledgements.finish(entries.get(0), first::countDown);
        // the stop comes before the batch window closes: close sends the batch and waits for it
        acknowledgements.close().await().atMost(TIMEOUT);
        assertEquals(0, first.getCount(), "the entry finished before the stop is called back once acknowledged");
        assertEquals(1L, server.call("XLEN", Outbox.key(shard)), "only the first entry is removed");

        CountDownLatch late = new CountDownLatch(1);
        acknowledgements.finish(entries.get(1), late::countDown);
        assertTrue(late.await(1, TimeUnit.SECONDS), "an entry finishing after the stop is called back at once");
        Thread.sleep(Acknowledgements.WINDOW_MS * 10);
        assertEquals(1L, server.call("XLEN", Outbox.key(shard)), "it is not removed");
        assertEquals(1L, ((List<?>) server.call("XPENDING", Outbox.key(shard), Outbox.GROUP)).get(0),
                "it stays pending, for another instance to take over");
    }
}
