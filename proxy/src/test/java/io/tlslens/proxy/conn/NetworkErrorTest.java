package io.tlslens.proxy.conn;

import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketException;

import static org.assertj.core.api.Assertions.assertThat;

class NetworkErrorTest {
    @Test
    void anIoExceptionAnywhereInTheChainIsTheNetworks() {
        assertThat(NetworkError.is(new SocketException("Connection reset"))).isTrue();
        assertThat(NetworkError.is(new SSLException("closed"))).isTrue();
        assertThat(NetworkError.is(new UncheckedIOException(new IOException("epoll_ctl(..) failed: ENOENT")))).isTrue();
    }

    @Test
    void anythingElseIsOurs() {
        assertThat(NetworkError.is(new IllegalStateException("deliberate failure"))).isFalse();
        assertThat(NetworkError.is(new RuntimeException(new NullPointerException()))).isFalse();
        assertThat(NetworkError.is(null)).isFalse();
    }
}
