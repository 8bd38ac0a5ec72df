package io.tlslens.bench;

import io.tlslens.inspector.fingerprint.Ja3;
import io.tlslens.inspector.fingerprint.Ja4;
import io.tlslens.inspector.wire.ClientHello;
import io.tlslens.inspector.wire.ClientHelloDecoder;
import io.tlslens.inspector.wire.MalformedHandshakeException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Decode + JA3 + JA4 of one ClientHello body: {@code browser} = a Chrome-like TLS 1.3 hello (GREASE, 16 suites,
 * 16 extensions, x25519 key share, 512 bytes), {@code pq} = the same with an X25519MLKEM768 key share of 1,216
 * bytes before the x25519 one (about 1.8 KB), as current Chrome and BoringSSL send.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ClientHelloBenchmark {
    @Param({"browser", "pq"})
    public String hello;

    private byte[] body;

    @Setup
    public void setup() {
        body = SampleHellos.body(hello.equals("pq"));
    }

    /** @return the decoded hello's fingerprints, consumed by JMH */
    @Benchmark
    public Object decodeJa3Ja4() throws MalformedHandshakeException {
        ClientHello h = ClientHelloDecoder.decode(body, 0x0301);
        return Ja3.hash(h) + Ja4.of(h);
    }

    /** @return the decoded hello */
    @Benchmark
    public ClientHello decodeOnly() throws MalformedHandshakeException {
        return ClientHelloDecoder.decode(body, 0x0301);
    }
}
