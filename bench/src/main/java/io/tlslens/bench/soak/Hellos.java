package io.tlslens.bench.soak;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/** Real ClientHello records, captured from the JDK's TLS client (SSLEngine) without a socket. */
final class Hellos {
    private Hellos() {
    }

    /** @return the bytes (TLS records) a JDK client sends first when it connects with {@code sni} */
    static byte[] jdk(SSLContext ctx, String sni) throws Exception {
        SSLEngine e = ctx.createSSLEngine(sni, 443);
        e.setUseClientMode(true);
        SSLParameters p = e.getSSLParameters();
        p.setServerNames(List.of(new SNIHostName(sni)));
        e.setSSLParameters(p);
        ByteBuffer out = ByteBuffer.allocate(e.getSession().getPacketBufferSize());
        e.wrap(ByteBuffer.allocate(0), out);
        return Arrays.copyOf(out.array(), out.position());
    }
}
