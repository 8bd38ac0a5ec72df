package io.tlslens.proxy.telemetry;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * The last {@code capacity} failure events, newest first, for {@code /debug/handshakes} and the admin page,
 * each with the time it was recorded. Thread-safe.
 */
public final class RecentFailures {
    /**
     * One kept failure.
     *
     * @param at    when it was recorded
     * @param event its fields, in the log contract's order
     */
    public record Recent(Instant at, Map<String, Object> event) {
    }

    private final int capacity;
    private final Deque<Recent> events = new ArrayDeque<>();

    /** @param capacity how many events to keep */
    RecentFailures(int capacity) {
        this.capacity = capacity;
    }

    synchronized void add(Map<String, Object> event) {
        events.addFirst(new Recent(Instant.now(), event));
        while (events.size() > capacity) {
            events.removeLast();
        }
    }

    /** @return a snapshot of the events, newest first */
    public synchronized List<Map<String, Object>> snapshot() {
        return events.stream().map(Recent::event).toList();
    }

    /** @return a snapshot with the time each event was recorded, newest first */
    public synchronized List<Recent> timedSnapshot() {
        return new ArrayList<>(events);
    }

    /** @return how many events are kept at most */
    public int capacity() {
        return capacity;
    }
}
