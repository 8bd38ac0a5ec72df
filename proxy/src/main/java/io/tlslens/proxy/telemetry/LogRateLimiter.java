package io.tlslens.proxy.telemetry;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Limits failure log lines per key (the cause) to {@code perSecond} lines in each one-second
 * window. Lines over the limit are counted, never silently dropped: the next line allowed for that
 * key reports how many were suppressed before it, and {@link #drainSuppressed()} hands out counts
 * that no later line has reported. Thread-safe.
 */
public final class LogRateLimiter {
    private final int perSecond;
    private final LongSupplier nanoClock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    /**
     * @param perSecond lines allowed per key per second, at least 1
     * @param nanoClock monotonic clock in nanoseconds
     */
    public LogRateLimiter(int perSecond, LongSupplier nanoClock) {
        this.perSecond = Math.max(1, perSecond);
        this.nanoClock = nanoClock;
    }

    /**
     * @param key the rate-limited key (a cause code)
     * @return -1 when the line must be suppressed (and it is counted), else how many lines of this
     * key were suppressed since the last one allowed (0 or more), which the caller logs with it
     */
    public long tryAcquire(String key) {
        Window w = windows.computeIfAbsent(key, k -> new Window());
        synchronized (w) {
            long now = nanoClock.getAsLong();
            if (now - w.start >= 1_000_000_000L) {
                w.start = now;
                w.used = 0;
            }
            if (w.used >= perSecond) {
                w.suppressed++;
                return -1;
            }
            w.used++;
            long s = w.suppressed;
            w.suppressed = 0;
            return s;
        }
    }

    /** @return per key, the suppressed lines not yet reported by a later line; resets them */
    public Map<String, Long> drainSuppressed() {
        Map<String, Long> out = new TreeMap<>();
        windows.forEach((k, w) -> {
            synchronized (w) {
                if (w.suppressed > 0) {
                    out.put(k, w.suppressed);
                    w.suppressed = 0;
                }
            }
        });
        return out;
    }

    private static final class Window {
        long start = Long.MIN_VALUE / 2;
        int used;
        long suppressed;
    }
}
