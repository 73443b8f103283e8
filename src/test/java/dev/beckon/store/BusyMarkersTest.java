package dev.beckon.store;

import static dev.beckon.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.beckon.support.BackingServices;
import dev.beckon.support.RedisInspector;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The busy markers on their own: entries end at their own deadline, changes applied out of order
 * end as the newest says, an ended entry is not brought back by a late "ringing", and a marker
 * holds only what can still make its user busy, however many calls they made.
 */
@QuarkusTest
@WithTestResource(BackingServices.class)
class BusyMarkersTest {

    @Inject
    BusyMarkers markers;

    private boolean busy(String userId, String conferenceId) {
        return markers.busy(conferenceId, List.of(userId)).await().atMost(Duration.ofSeconds(5)).contains(userId);
    }

    private void apply(String... lines) {
        markers.apply(List.of(lines)).await().atMost(Duration.ofSeconds(5));
    }

    private static long in(long ms) {
        return System.currentTimeMillis() + ms;
    }

    @Test
    void aRingingEntryCountsInOtherConferencesOnlyAndLapsesAtItsDeadline() {
        String bob = unique("bob");
        apply(bob + " r:confA-1 " + in(1_500) + " 3");
        assertTrue(busy(bob, "confB"));
        assertEquals(false, busy(bob, "confA"), "ringing in the inviting conference itself is not busy");
        assertTrue(RedisInspector.pttl(BusyMarkers.key(bob)) > 0, "the marker expires");
        Awaitility.await().atMost(Duration.ofSeconds(4)).until(() -> !busy(bob, "confB"));
    }

    @Test
    void anOlderChangeAppliedLateDoesNotOverrideANewerOne() {
        String bob = unique("bob"), carol = unique("carol");
        // the end (step 7) arrives before the start (step 5): stays ended
        apply(bob + " r:confA-1 0 7");
        apply(bob + " r:confA-1 " + in(60_000) + " 5");
        assertEquals(false, busy(bob, "confB"));
        // connected at step 9, a stale "left" from step 8 arrives after: stays connected
        apply(carol + " c:confA " + in(60_000) + " 9");
        apply(carol + " c:confA 0 8");
        assertTrue(busy(carol, "confB"));
        apply(carol + " c:confA 0 10");
        assertEquals(false, busy(carol, "confB"));
    }

    @Test
    void oneApplyWritesEveryUsersMarker() {
        String bob = unique("bob"), carol = unique("carol"), dave = unique("dave");
        apply(bob + " r:confA-1 " + in(60_000) + " 2", carol + " c:confA " + in(60_000) + " 2");
        Set<String> busy = markers.busy("confB", List.of(bob, carol, dave)).await().atMost(Duration.ofSeconds(5));
        assertEquals(Set.of(bob, carol), busy);
    }

    @Test
    void aUserInManyConferencesIsBusyElsewhereButNotInAnyOfThemAlone() {
        String bob = unique("bob");
        // four entries of confA lapse first; confB's entry is read only after them
        apply(bob + " c:confA " + in(30_000) + " 4", bob + " r:confA-1 " + in(31_000) + " 4",
                bob + " r:confA-2 " + in(32_000) + " 5", bob + " r:confA-3 " + in(33_000) + " 6");
        assertEquals(false, busy(bob, "confA"));
        apply(bob + " c:confB " + in(90_000) + " 2");
        assertTrue(busy(bob, "confA"), "connected in confB, behind four entries of confA");
        assertTrue(busy(bob, "confB"), "connected or ringing in confA");
    }

    @Test
    void lapsedEntriesLeaveTheMarkerAtTheNextChange() {
        String bob = unique("bob");
        String[] lines = new String[200];
        for (int i = 0; i < lines.length; i++) {
            // 100 calls that ended (tombstones for two minutes), 100 rings that lapse within a second
            lines[i] = i % 2 == 0 ? bob + " r:conf" + i + "-1 0 3" : bob + " r:conf" + i + "-1 " + in(600) + " 3";
        }
        apply(lines);
        assertEquals(200L, RedisInspector.redis().call("ZCARD", BusyMarkers.key(bob)));
        Awaitility.await().pollDelay(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(5)).until(() -> {
            apply(bob + " c:confZ " + in(60_000) + " 1");
            return (Long) RedisInspector.redis().call("ZCARD", BusyMarkers.key(bob)) == 101L;
        });
        assertTrue(busy(bob, "confA"));
        assertEquals(false, busy(bob, "confZ"), "the rings lapsed, the tombstones do not count");
    }

    @Test
    void theMarkerExpiresWithItsLatestEntry() {
        String bob = unique("bob");
        apply(bob + " c:confA " + in(600_000) + " 1");
        long far = RedisInspector.pttl(BusyMarkers.key(bob));
        assertTrue(far > 590_000 && far <= 601_000, "expires with the conference: " + far);
        apply(bob + " r:confB-1 " + in(30_000) + " 1");
        assertTrue(RedisInspector.pttl(BusyMarkers.key(bob)) > 590_000, "a sooner entry does not shorten it");
    }
}
