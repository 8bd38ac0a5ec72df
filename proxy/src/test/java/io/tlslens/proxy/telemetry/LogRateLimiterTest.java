package io.tlslens.proxy.telemetry;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class LogRateLimiterTest {
    private final AtomicLong clock = new AtomicLong();
    private final LogRateLimiter limiter = new LogRateLimiter(2, clock::get);

    @Test
    void suppressesOverTheLimitAndReportsTheCountOnTheNextAllowedLine() {
        assertThat(limiter.tryAcquire("expired")).isZero();
        assertThat(limiter.tryAcquire("expired")).isZero();
        assertThat(limiter.tryAcquire("expired")).isEqualTo(-1);
        assertThat(limiter.tryAcquire("expired")).isEqualTo(-1);
        assertThat(limiter.tryAcquire("not_tls")).as("other causes have their own budget").isZero();
        clock.addAndGet(1_000_000_000L);
        assertThat(limiter.tryAcquire("expired")).as("suppressed before this line").isEqualTo(2);
        assertThat(limiter.drainSuppressed()).isEmpty();
    }

    @Test
    void drainHandsOutCountsNoLaterLineReported() {
        for (int i = 0; i < 5; i++) {
            limiter.tryAcquire("peer_closed");
        }
        assertThat(limiter.drainSuppressed()).containsEntry("peer_closed", 3L);
        assertThat(limiter.drainSuppressed()).isEmpty();
    }
}
