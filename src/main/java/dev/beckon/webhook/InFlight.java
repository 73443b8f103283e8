package dev.beckon.webhook;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The deliveries one instance is working on, at most {@code limit}. A reader with no room left
 * parks a callback here instead of polling, and is called back as soon as a delivery ends.
 */
final class InFlight {

    private final int limit;
    private final Set<String> keys = ConcurrentHashMap.newKeySet();
    private final Queue<Runnable> waiting = new ArrayDeque<>();

    InFlight(int limit) {
        this.limit = limit;
    }

    int size() {
        return keys.size();
    }

    int room() {
        return Math.max(0, limit - keys.size());
    }

    /** Takes on an entry; false when it is already in flight here. */
    boolean add(OutboxEntry entry) {
        return keys.add(entry.key());
    }

    void remove(OutboxEntry entry) {
        if (keys.remove(entry.key())) {
            Runnable next;
            synchronized (waiting) {
                next = waiting.poll();
            }
            if (next != null) {
                next.run();
            }
        }
    }

    /** Runs {@code then} now when there is room, else once a delivery ends (one waiter per reader, so bounded). */
    void whenRoom(Runnable then) {
        synchronized (waiting) {
            if (room() == 0) {
                waiting.add(then);
                return;
            }
        }
        then.run();
    }
}
