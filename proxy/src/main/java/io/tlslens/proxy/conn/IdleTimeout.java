package io.tlslens.proxy.conn;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.tlslens.proxy.telemetry.OutcomeSink;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a client connection on which no byte passed either way (read from the client, or written to
 * it) for the listener's {@code idle-timeout}, and counts it in {@code tlslens_idle_timeouts_total}; the
 * relay then closes the backend side too. Sits at the head of the client pipeline, so it sees raw bytes.
 */
public final class IdleTimeout extends IdleStateHandler {
    private final OutcomeSink outcomes;

    /**
     * @param idle     the idle timeout (positive)
     * @param outcomes where the timeout is counted
     */
    public IdleTimeout(Duration idle, OutcomeSink outcomes) {
        super(0, 0, idle.toMillis(), TimeUnit.MILLISECONDS);
        this.outcomes = outcomes;
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        outcomes.idleTimeout();
        ctx.close();
    }
}
