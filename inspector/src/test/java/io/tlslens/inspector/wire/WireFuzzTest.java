package io.tlslens.inspector.wire;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer fuzz targets for the wire decoders. Contract under test: the record scanner never throws to
 * its caller, and the message decoders throw nothing but {@link MalformedHandshakeException}; any other
 * exception or an OutOfMemoryError fails the target.
 *
 * <p>Regression mode (plain {@code mvn test}): each target runs once per seed in
 * {@code src/test/resources/io/tlslens/inspector/wire/WireFuzzTestInputs/<method>/} (real ClientHellos from
 * {@code clienthello/*.hex} and a real OpenSSL TLS 1.2 server flight, as raw bytes). Fuzzing mode:
 * {@code JAZZER_FUZZ=1 mvn -pl inspector test -Dtest=WireFuzzTest#<method>} fuzzes one target for at
 * most {@code maxDuration}.
 */
class WireFuzzTest {
    private static final int MAX_MESSAGE = 1 << 16;

    /** Whole streams (either direction) fed in chunks whose sizes come from the input's own length. */
    @FuzzTest(maxDuration = "40s")
    void recordScanner(byte[] stream) {
        RecordScanner scanner = new RecordScanner(new DecodingListener(), MAX_MESSAGE);
        int pos = 0;
        int step = 1 + (stream.length % 7);
        while (pos < stream.length) {
            int n = Math.min(step, stream.length - pos);
            scanner.feed(stream, pos, n);
            pos += n;
            step = 1 + ((step * 31 + n) % 97);
        }
        scanner.bytesSeen();
    }

    /** ClientHello bodies (after the handshake header), and the same bytes as an SSLv2 record. */
    @FuzzTest(maxDuration = "40s")
    void clientHello(byte[] body) {
        try {
            ClientHelloDecoder.decode(body, 0x0301);
        } catch (MalformedHandshakeException expected) {
            // the only permitted failure
        }
        try {
            ClientHelloDecoder.decodeSslv2(body);
        } catch (MalformedHandshakeException expected) {
            // the only permitted failure
        }
    }

    /** ServerHello bodies. */
    @FuzzTest(maxDuration = "40s")
    void serverHello(byte[] body) {
        try {
            ServerHelloDecoder.decode(body);
        } catch (MalformedHandshakeException expected) {
            // the only permitted failure
        }
    }

    /** Certificate bodies, in both the TLS ≤ 1.2 and the TLS 1.3 form. */
    @FuzzTest(maxDuration = "40s")
    void certificate(byte[] body) {
        for (boolean tls13 : new boolean[] {false, true}) {
            try {
                CertificateDecoder.decode(body, tls13);
            } catch (MalformedHandshakeException expected) {
                // the only permitted failure
            }
        }
    }

    /** Decodes every reassembled message the scanner hands over, as the proxy's consumers would. */
    private static final class DecodingListener implements RecordListener {
        @Override
        public void onHandshakeMessage(int type, byte[] body) {
            try {
                switch (type) {
                    case 11 -> CertificateDecoder.decode(body, false);
                    case 12 -> ServerKeyExchangeDecoder.decodeEcdhe(body, 0x0303);
                    case 13 -> CertificateRequestDecoder.decode(body, 0x0303);
                    default -> {
                    }
                }
            } catch (MalformedHandshakeException expected) {
                // the only permitted failure
            }
        }
    }
}
