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
 * end as the newest says, and an ended entry is not brought back by a late "ringing".
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
}
