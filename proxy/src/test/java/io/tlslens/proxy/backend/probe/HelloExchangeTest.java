package io.tlslens.proxy.backend.probe;

import io.tlslens.proxy.backend.probe.HelloExchange.ConnectFailure;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** How a failed connect is named (the exit-2 message), and how plaintext answers are shown. */
class HelloExchangeTest {
    @Test
    void connectFailuresAreRefusedTimeoutOrUnreachable() {
        assertThat(HelloExchange.classify(new ConnectException("Connection refused"))).isEqualTo(ConnectFailure.REFUSED);
        assertThat(HelloExchange.classify(new SocketTimeoutException("Connect timed out"))).isEqualTo(ConnectFailure.TIMEOUT);
        assertThat(HelloExchange.classify(new NoRouteToHostException("No route to host"))).isEqualTo(ConnectFailure.UNREACHABLE);
        assertThat(HelloExchange.classify(new UnknownHostException("x.invalid"))).isEqualTo(ConnectFailure.UNREACHABLE);
        assertThat(HelloExchange.classify(new ConnectException("Network is unreachable"))).isEqualTo(ConnectFailure.UNREACHABLE);
    }

    @Test
    void plaintextIsShownWithEscapes() {
        assertThat(HelloExchange.printable("HTTP/1.0 400\r\n".getBytes(StandardCharsets.US_ASCII))).isEqualTo("HTTP/1.0 400\\r\\n");
        assertThat(HelloExchange.printable(new byte[] {0x15, 'a'})).isEqualTo("\\x15a");
    }
}
