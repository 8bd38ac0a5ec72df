package io.tlslens.inspector.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Test fixtures: real ClientHello streams captured from real clients (see resources/clienthello/README.md). */
public final class Fixtures {
    private Fixtures() {
    }

    public static final String[] NAMES = {
        "openssl_tls13", "openssl_tls12", "openssl_tls10", "openssl_nosni", "curl", "curl_sni", "jdk17", "boringssl_mlkem"};

    /** @return the raw bytes the client sent (one or more TLS records) */
    public static byte[] stream(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/clienthello/" + name + ".hex")) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            String hex = new String(in.readAllBytes(), StandardCharsets.US_ASCII).replaceAll("\\s", "");
            return HexFormat.of().parseHex(hex);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the ClientHello of a recorded fixture, decoded by the record scanner as the proxy does */
    public static ClientHello clientHello(String name) {
        java.util.concurrent.atomic.AtomicReference<ClientHello> out = new java.util.concurrent.atomic.AtomicReference<>();
        byte[] bytes = stream(name);
        new RecordScanner(new RecordListener() {
            @Override
            public void onClientHello(ClientHello h) {
                out.set(h);
            }
        }).feed(bytes, 0, bytes.length);
        return out.get();
    }

    public static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s", ""));
    }
}
