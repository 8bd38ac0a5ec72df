package io.tlslens.inspector.compat;

import io.tlslens.inspector.fingerprint.Ja4;
import io.tlslens.inspector.wire.ClientHello;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A bounded, thread-safe tally of the ClientHellos seen, keyed by JA4: per distinct JA4 a count and the
 * first ClientHello as representative. When {@code capacity} distinct JA4s are held and a new one
 * arrives, the entry with the lowest count (the oldest among equals) is evicted and counted in
 * {@link #evictions()}. Memory: at most {@code capacity} ClientHellos.
 */
public final class ClientHelloAggregate {
    /** Default number of distinct JA4s kept. */
    public static final int DEFAULT_CAPACITY = 1_000;

    private final int capacity;
    private final Map<String, String> namesByJa4;
    private final Map<String, Slot> slots = new HashMap<>();
    private long sequence;
    private long evictions;
    private long total;

    private static final class Slot {
        final ClientHello representative;
        final long firstSeen;
        long count;

        Slot(ClientHello representative, long firstSeen) {
            this.representative = representative;
            this.firstSeen = firstSeen;
        }
    }

    /**
     * @param capacity   distinct JA4s kept, at least 1
     * @param namesByJa4 user-facing client names by JA4 (see {@code CorpusNames}); may be empty
     * @throws IllegalArgumentException when capacity &lt; 1
     */
    public ClientHelloAggregate(int capacity, Map<String, String> namesByJa4) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity + " < 1");
        }
        this.capacity = capacity;
        this.namesByJa4 = Map.copyOf(namesByJa4);
    }

    /**
     * Counts one ClientHello (computes its JA4 outside the lock).
     *
     * @param hello a decoded ClientHello
     */
    public void record(ClientHello hello) {
        record(Ja4.of(hello), hello);
    }

    /**
     * Counts one ClientHello whose JA4 the caller already has.
     *
     * @param ja4   JA4 of {@code hello}
     * @param hello the ClientHello, kept as representative when the JA4 is new
     */
    public synchronized void record(String ja4, ClientHello hello) {
        total++;
        Slot s = slots.get(ja4);
        if (s == null) {
            if (slots.size() >= capacity) {
                evictOne();
            }
            s = new Slot(hello, sequence++);
            slots.put(ja4, s);
        }
        s.count++;
    }

    private void evictOne() {
        String victim = null;
        Slot worst = null;
        for (Map.Entry<String, Slot> e : slots.entrySet()) {
            Slot s = e.getValue();
            if (worst == null || s.count < worst.count || (s.count == worst.count && s.firstSeen < worst.firstSeen)) {
                worst = s;
                victim = e.getKey();
            }
        }
        slots.remove(victim);
        evictions++;
    }

    /** @return the distinct clients held, most frequent first (then JA4 order); a copy */
    public synchronized List<SeenClient> snapshot() {
        List<SeenClient> out = new ArrayList<>(slots.size());
        for (Map.Entry<String, Slot> e : slots.entrySet()) {
            Slot s = e.getValue();
            out.add(new SeenClient(e.getKey(), s.count, s.representative, namesByJa4.get(e.getKey())));
        }
        out.sort(Comparator.comparingLong(SeenClient::count).reversed().thenComparing(SeenClient::ja4));
        return out;
    }

    /** @return ClientHellos counted since creation, including those of evicted JA4s */
    public synchronized long total() {
        return total;
    }

    /** @return distinct JA4s evicted to stay within capacity */
    public synchronized long evictions() {
        return evictions;
    }

    /** @return the capacity in distinct JA4s */
    public int capacity() {
        return capacity;
    }
}
