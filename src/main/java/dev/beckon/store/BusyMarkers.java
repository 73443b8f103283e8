package dev.beckon.store;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;

/**
 * Per-user "in a call / ringing" markers, which make {@code inviteeBusy} and
 * {@code busyPolicy: "reject"} possible without reading other conferences.
 * <p>
 * A user's conferences live in many shards, so the marker sits in the user's own Redis Cluster
 * slot, {@code bk:bz:{<userId>}}: a sorted set of entries {@code r:<invitationId>} (an open
 * invitation to the user, until its expiresAt) and {@code c:<conferenceId>} (the user is
 * CONNECTED there, until the conference's expiry), ordered by deadline (see
 * {@code scripts/lib/marker.lua}). The busy check reads only the first live entries, and every
 * update drops what has lapsed, so neither grows with the calls a user has made. The state
 * scripts cannot write that slot on a cluster; they list the changes they imply in their reply
 * and {@link ConferenceStore} hands them here right after the step (marks.lua, one call per user).
 * <p>
 * Consistency: each change carries the conference's step counter, and a change older than the
 * stored one is dropped, so concurrent steps applied out of order end as the newest says; an
 * ended entry stays as a short tombstone so a late "ringing" cannot revive it. A crash between
 * the state change and the marker update leaves the marker one step behind: a stale entry lapses
 * at its own deadline (a ringing one at most a ring timeout late, a connected one with the
 * conference), a missing one only makes a call not show as busy.
 */
@ApplicationScoped
public class BusyMarkers {

    private static final Logger LOG = Logger.getLogger(BusyMarkers.class);

    @Inject
    RedisScripts scripts;

    static String key(String userId) {
        return "bk:bz:{" + userId + "}"; // marker_key in scripts/lib/marker.lua
    }

    /**
     * Which of {@code userIds} are in a call or ringing in a conference other than
     * {@code conferenceId}: one round trip (pipelined on a single Redis, parallel on a cluster).
     */
    public Uni<Set<String>> busy(String conferenceId, List<String> userIds) {
        if (userIds.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        List<RedisScripts.Call> calls = new ArrayList<>(userIds.size());
        for (String userId : userIds) {
            calls.add(new RedisScripts.Call(key(userId), new String[] { conferenceId }));
        }
        return scripts.runEach(Script.BUSY, calls).map(replies -> {
            Set<String> busy = new HashSet<>();
            for (int i = 0; i < replies.size(); i++) {
                if (replies.get(i).toLong() == 1L) {
                    busy.add(userIds.get(i));
                }
            }
            return busy;
        });
    }

    /**
     * Applies the marker lines a step returned ({@code "<userId> <member> <deadline> <stamp> <now>"},
     * now being the Redis clock of the step, which judges what has lapsed; without it marks.lua reads the clock).
     * The step has happened whatever becomes of this, so a failure is logged, not passed on:
     * the entries' deadlines bound what a missed update can cost (see the class comment).
     */
    Uni<Void> apply(List<String> marks) {
        if (marks.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Map<String, List<String>> byUser = new LinkedHashMap<>();
        for (String line : marks) {
            String[] f = line.split(" ");
            List<String> args = byUser.computeIfAbsent(f[0], u -> new ArrayList<>(List.of(f.length > 4 ? f[4] : "")));
            args.add(f[1]);
            args.add(f[2]);
            args.add(f[3]);
        }
        List<RedisScripts.Call> calls = new ArrayList<>(byUser.size());
        byUser.forEach((userId, args) -> calls.add(new RedisScripts.Call(key(userId), args.toArray(String[]::new))));
        return scripts.runEach(Script.MARKS, calls).replaceWithVoid()
                .onFailure().invoke(t -> LOG.debugf("Busy markers not updated (they lapse on their own): %s", t.getMessage()))
                .onFailure().recoverWithItem((Void) null);
    }
}
