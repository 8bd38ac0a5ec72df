package io.tlslens.proxy;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.Mapping;
import io.tlslens.config.CertificateKeyPair;
import io.tlslens.config.FrontendTls;
import io.tlslens.inspector.cert.ChainAnalyzer;
import io.tlslens.inspector.cert.ChainVerifier;
import io.tlslens.inspector.cert.HostnameMatcher;
import io.tlslens.inspector.policy.TlsPolicy;
import io.tlslens.inspector.registry.TlsRegistry;

import javax.net.ssl.SSLException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * A terminate listener's server TLS contexts, one per configured certificate, chosen by SNI: the
 * first certificate whose leaf covers the {@code server_name} (RFC 6125), else the first one.
 * Used as the {@link io.netty.handler.ssl.SniHandler}'s mapping.
 */
final class ServerTlsContexts implements Mapping<String, SslContext> {
    private final List<ServedCertificate> served;
    private final TlsPolicy policy;

    private ServerTlsContexts(List<ServedCertificate> served, TlsPolicy policy) {
        this.served = List.copyOf(served);
        this.policy = policy;
    }

    /**
     * Builds the contexts and analyses every chain once.
     *
     * @param tls the listener's frontend TLS settings (certificates already loaded and validated)
     * @return the contexts
     * @throws SSLException when the engine refuses the settings
     */
    static ServerTlsContexts build(FrontendTls tls) throws SSLException {
        TlsPolicy effective = EnginePolicy.effective(tls.policy());
        ChainAnalyzer analyzer = ChainAnalyzer.withSystemTrust(tls.clientTrust());
        List<ServedCertificate> served = new ArrayList<>();
        for (CertificateKeyPair pair : tls.certificates()) {
            SslContextBuilder b = SslContextBuilder.forServer(pair.key(), pair.chain().toArray(new X509Certificate[0]))
                    .sslProvider(TlsProvider.get())
                    .protocols(EnginePolicy.protocolNames(effective))
                    .ciphers(EnginePolicy.cipherNames(effective));
            switch (tls.clientAuth()) {
                case OPTIONAL -> b.clientAuth(ClientAuth.OPTIONAL);
                case REQUIRE -> b.clientAuth(ClientAuth.REQUIRE);
                default -> b.clientAuth(ClientAuth.NONE);
            }
            if (!tls.clientCaCertificates().isEmpty()) {
                b.trustManager(new VerifyingTrustManager(new ChainVerifier(tls.clientCaCertificates()), false,
                        tls.clientCaCertificates()));
            }
            served.add(new ServedCertificate(b.build(), analyzer.analyze(pair.chain()), pair.chain().get(0)));
        }
        return new ServerTlsContexts(served, effective);
    }

    /**
     * @param serverName the ClientHello's {@code server_name}, or null
     * @return the certificate served for it
     */
    ServedCertificate select(String serverName) {
        if (serverName != null) {
            for (ServedCertificate s : served) {
                if (HostnameMatcher.matches(serverName, s.leaf())) {
                    return s;
                }
            }
        }
        return served.get(0);
    }

    @Override
    public SslContext map(String serverName) {
        return select(serverName).context();
    }

    /** @return every served certificate, the default first */
    List<ServedCertificate> all() {
        return served;
    }

    /** @return the policy the engine was configured with: the listener's policy as BoringSSL can serve it */
    TlsPolicy policy() {
        return policy;
    }

    /** Names BoringSSL's view of a cipher suite for logs, e.g. from the engine's session. */
    static String ianaCipherName(String engineName) {
        var code = TlsRegistry.cipherSuiteCode(engineName);
        return code.isPresent() ? TlsRegistry.cipherSuiteName(code.getAsInt()) : engineName;
    }
}
