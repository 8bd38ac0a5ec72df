package io.tlslens.proxy.telemetry;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/** The last {@code capacity} failure events, newest first, for {@code /debug/handshakes}. Thread-safe. */
public final class RecentFailures {
    private final int capacity;
    private final Deque<Map<String, Object>> events = new ArrayDeque<>();

    /** @param capacity how many events to keep */
    RecentFailures(int capacity) {
        this.capacity = capacity;
    }

    synchronized void add(Map<String, Object> event) {
        events.addFirst(event);
        while (events.size() > capacity) {
            events.removeLast();
        }
    }

    /** @return a snapshot, newest first */
    public synchronized List<Map<String, Object>> snapshot() {
        return new ArrayList<>(events);
    }
}
