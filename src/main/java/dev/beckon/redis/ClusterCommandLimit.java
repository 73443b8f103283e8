package dev.beckon.redis;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;

/**
 * How many commands may be on their way to a Redis Cluster at once through the application's
 * client. The Vert.x cluster client takes a pooled connection to every master for each command
 * before sending it, and waits for them without a deadline: with more commands pending than a
 * node's pool holds, each can end up holding some connections while waiting for the others,
 * and from then on every command waits forever. Keeping the commands in flight at or below the
 * pool size makes that impossible; the rest wait here, in order, within their caller's deadline.
 */
public final class ClusterCommandLimit {

    /** One command waiting for, or holding, a place. */
    private final class Place {
        final UniEmitter<? super Void> emitter;
        boolean granted;
        boolean started;

        Place(UniEmitter<? super Void> emitter) {
            this.emitter = emitter;
        }
    }

    private final int limit;
    private final int maxWaiting;
    private final Deque<Place> waiting = new ArrayDeque<>();
    private int inFlight;

    public ClusterCommandLimit(int limit, int maxWaiting) {
        this.limit = Math.max(1, limit);
        this.maxWaiting = maxWaiting;
    }

    /**
     * Runs {@code command} once a place is free. The place is given back when the command ends,
     * or at once when the caller gives up (a timeout) before the command started.
     */
    public <T> Uni<T> run(Supplier<Uni<T>> command) {
        Place[] holder = new Place[1];
        return Uni.createFrom().<Void>emitter(emitter -> {
            Place place = new Place(emitter);
            holder[0] = place;
            emitter.onTermination(() -> abandoned(place));
            boolean now;
            synchronized (this) {
                now = inFlight < limit;
                if (now) {
                    inFlight++;
                    place.granted = true;
                } else if (waiting.size() >= maxWaiting) {
                    emitter.fail(new IllegalStateException("CONNECTION_CLOSED: too many Redis commands waiting"));
                    return;
                } else {
                    waiting.add(place);
                }
            }
            if (now) {
                emitter.complete(null);
            }
        }).chain(() -> {
            synchronized (this) {
                holder[0].started = true;
            }
            return command.get().onTermination().invoke(this::release);
        });
    }

    /** The caller went away: a place it waited for is no longer wanted, one it got but never used is returned. */
    private void abandoned(Place place) {
        boolean unused;
        synchronized (this) {
            waiting.remove(place);
            unused = place.granted && !place.started;
            place.started = true;
        }
        if (unused) {
            release();
        }
    }

    private void release() {
        Place next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                inFlight--;
                return;
            }
            next.granted = true;
        }
        // the place passes straight to the next in line
        next.emitter.complete(null);
    }

    /** Commands holding a place now. */
    public synchronized int inFlight() {
        return inFlight;
    }
}
