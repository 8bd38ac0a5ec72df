package io.tlslens.proxy;

import io.netty.handler.ssl.SslContext;
import io.tlslens.inspector.cert.ChainAnalysis;

import java.security.cert.X509Certificate;

/**
 * One certificate chain a listener serves, its TLS context and the analysis of the chain made when
 * it was loaded (DIAGNOSIS.md step 5).
 *
 * @param context  the server SslContext (BoringSSL) for this chain
 * @param analysis the chain analysis
 * @param leaf     the leaf certificate, for SNI selection
 */
record ServedCertificate(SslContext context, ChainAnalysis analysis, X509Certificate leaf) {
}
