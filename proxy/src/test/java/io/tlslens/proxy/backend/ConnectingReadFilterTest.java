package io.tlslens.proxy.backend;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.channels.NotYetConnectedException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectingReadFilterTest {
    private final List<Throwable> seen = new ArrayList<>();
    private final ChannelInboundHandlerAdapter behind = new ChannelInboundHandlerAdapter() {
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            seen.add(cause);
        }
    };

    /** A registered channel that is open but not active, as a backend channel is while its connect is in progress. */
    private static final class Connecting extends EmbeddedChannel {
        boolean connected;

        @Override
        public boolean isActive() {
            return connected;
        }
    }

    @Test
    void aNotYetConnectedExceptionWhileConnectingIsDropped() {
        Connecting ch = new Connecting();
        ch.pipeline().addLast(ConnectingReadFilter.INSTANCE, behind);
        assertThat(ch.isOpen()).isTrue();
        assertThat(ch.isActive()).isFalse();
        ch.pipeline().fireExceptionCaught(new NotYetConnectedException());
        assertThat(seen).isEmpty();
        IllegalStateException other = new IllegalStateException("ours");
        ch.pipeline().fireExceptionCaught(other);
        assertThat(seen).containsExactly(other);
        ch.connected = true;
        NotYetConnectedException late = new NotYetConnectedException();
        ch.pipeline().fireExceptionCaught(late);
        assertThat(seen).containsExactly(other, late);
    }

    @Test
    void onAConnectedChannelItGoesOn() {
        EmbeddedChannel ch = new EmbeddedChannel(ConnectingReadFilter.INSTANCE, behind);
        assertThat(ch.isActive()).isTrue();
        NotYetConnectedException e = new NotYetConnectedException();
        ch.pipeline().fireExceptionCaught(e);
        assertThat(seen).containsExactly(e);
    }
}
