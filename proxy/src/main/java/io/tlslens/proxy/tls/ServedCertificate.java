package io.tlslens.proxy.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.util.AttributeKey;
import io.tlslens.inspector.cert.ChainAnalysis;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * One certificate chain a listener serves, its TLS context and the analysis of the chain made when
 * it was loaded (docs/diagnosis.md step 5), plus its OCSP staple when stapling is on.
 *
 * @param context  the server SslContext (BoringSSL) for this chain
 * @param analysis the chain analysis
 * @param chain    the chain as served, leaf first
 * @param staple   the current OCSP response for the leaf (empty until fetched)
 */
public record ServedCertificate(SslContext context, ChainAnalysis analysis, List<X509Certificate> chain, OcspStaple staple) {
    /** Channel attribute: the certificate chosen for a connection's handshake. */
    public static final AttributeKey<ServedCertificate> KEY = AttributeKey.valueOf("tlslens.served");

    public ServedCertificate {
        chain = List.copyOf(chain);
    }

    /** @return the leaf certificate, for SNI selection */
    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** @return the analysis, with the revocation the staple reported when there is one */
    public ChainAnalysis currentAnalysis() {
        return staple.revocation().map(analysis::withRevocation).orElse(analysis);
    }
}
