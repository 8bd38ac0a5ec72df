package io.tlslens.proxy.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSslContextOption;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.internal.tcnative.SSL;
import io.netty.util.Mapping;
import io.tlslens.config.CertificateKeyPair;
import io.tlslens.config.FrontendTls;
import io.tlslens.inspector.cert.ChainAnalyzer;
import io.tlslens.inspector.cert.ChainVerifier;
import io.tlslens.inspector.cert.HostnameMatcher;
import io.tlslens.inspector.policy.TlsPolicy;
import io.tlslens.inspector.registry.TlsRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A terminate listener's server TLS contexts, one per configured certificate, chosen by SNI: the
 * first certificate whose leaf covers the {@code server_name} (RFC 6125), else the first one.
 * Used as the {@link io.netty.handler.ssl.SniHandler}'s mapping.
 * <p>
 * The served certificates are an immutable snapshot behind an {@link AtomicReference}:
 * {@link #replace(int, ServedCertificate)} swaps one certificate (rotation without restart) for new
 * handshakes, while connections that already chose a context keep it.
 */
public final class ServerTlsContexts implements Mapping<String, SslContext> {
    private static final Logger LOG = LoggerFactory.getLogger(ServerTlsContexts.class);
    private final AtomicReference<List<ServedCertificate>> served;
    private final FrontendTls tls;
    private final TlsPolicy policy;
    private final ChainAnalyzer analyzer;
    private final EngineDrops drops;

    private ServerTlsContexts(FrontendTls tls, EnginePolicy.Narrowed narrowed, ChainAnalyzer analyzer) {
        this.served = new AtomicReference<>(List.of());
        this.tls = tls;
        this.policy = narrowed.policy();
        this.drops = narrowed.drops();
        this.analyzer = analyzer;
    }

    /**
     * Builds the contexts and analyses every chain once.
     *
     * @param tls      the listener's frontend TLS settings (certificates already loaded and validated)
     * @param listener the listener's name, for warnings
     * @return the contexts
     * @throws SSLException             when the engine refuses the settings
     * @throws IllegalArgumentException when the engine can serve none of the configured cipher suites
     */
    public static ServerTlsContexts build(FrontendTls tls, String listener) throws SSLException {
        String where = "listener '" + listener + "'";
        ServerTlsContexts contexts = new ServerTlsContexts(tls, EnginePolicy.narrow(tls.policy(), where),
                ChainAnalyzer.withSystemTrust(tls.clientTrust()));
        contexts.drops.describe().forEach(w -> LOG.warn("{}: {}", where, w));
        List<ServedCertificate> served = new ArrayList<>();
        for (CertificateKeyPair pair : tls.certificates()) {
            served.add(contexts.serve(pair));
        }
        contexts.served.set(List.copyOf(served));
        return contexts;
    }

    /**
     * Builds the context for one certificate with the listener's policy and client-auth settings, and
     * analyses its chain. Does not serve it yet: see {@link #replace(int, ServedCertificate)}.
     *
     * @param pair a validated certificate chain and key
     * @return the context, analysis and leaf
     * @throws SSLException when the engine refuses the pair
     */
    public ServedCertificate serve(CertificateKeyPair pair) throws SSLException {
        SslContextBuilder b = SslContextBuilder.forServer(pair.key(), pair.chain().toArray(new X509Certificate[0]))
                .sslProvider(TlsProvider.get())
                .protocols(EnginePolicy.protocolNames(policy))
                .ciphers(EnginePolicy.cipherNames(policy))
                .applicationProtocolConfig(EnginePolicy.alpn(tls.alpn()));
        String[] groups = EnginePolicy.groupNames(policy);
        if (groups.length > 0) {
            b.option(OpenSslContextOption.GROUPS, groups);
        }
        switch (tls.clientAuth()) {
            case OPTIONAL -> b.clientAuth(ClientAuth.OPTIONAL);
            case REQUIRE -> b.clientAuth(ClientAuth.REQUIRE);
            default -> b.clientAuth(ClientAuth.NONE);
        }
        if (!tls.clientCaCertificates().isEmpty()) {
            b.trustManager(new VerifyingTrustManager(new ChainVerifier(tls.clientCaCertificates()), false,
                    tls.clientCaCertificates(), status -> { })); // no CRLs for client certificates
        }
        if (tls.ocspStapling()) {
            b.enableOcsp(true);
        }
        SslContext context = b.build();
        sessionResumption(context, tls.sessionResumption());
        return new ServedCertificate(context, analyzer.analyze(pair.chain()), pair.chain(), new OcspStaple());
    }

    /**
     * {@code tls.session-resumption}: on, session tickets (TLS 1.2 RFC 5077 and TLS 1.3 PSK tickets, keys chosen
     * and rotated by BoringSSL; Netty leaves them off by default) and the server-side session cache (TLS 1.2
     * session IDs); off, neither, so every handshake is a full one (and {@link #prepare} keeps TLS 1.3 tickets
     * from being sent). The JDK provider (fallback only) keeps its own defaults.
     */
    static void sessionResumption(SslContext context, boolean on) {
        if (context.sessionContext() instanceof OpenSslSessionContext sessions) {
            sessions.setSessionCacheEnabled(on);
            if (on) {
                sessions.setTicketKeys(); // clears SSL_OP_NO_TICKET; no keys given: BoringSSL makes its own
            }
        }
    }

    /**
     * Readies one connection's engine for the listener's settings. With {@code tls.session-resumption = false} no
     * TLS 1.3 NewSessionTicket is sent: Netty turns tickets on for every engine that may speak TLS 1.3 (after the
     * context is built), and BoringSSL then sends two after each handshake, which the client could never use and
     * which cost two ticket encryptions and ~500 bytes per connection.
     *
     * @param engine the server engine of a new connection (any other kind is left as it is)
     */
    public void prepare(SSLEngine engine) {
        if (!tls.sessionResumption() && engine instanceof ReferenceCountedOpenSslEngine openssl) {
            SSL.setOptions(openssl.sslPointer(), SSL.SSL_OP_NO_TICKET);
        }
    }

    /**
     * Serves {@code replacement} instead of the certificate at {@code index} for every handshake that
     * starts from now on; one atomic swap of the snapshot.
     *
     * @param index       position in {@code tls.certificates}
     * @param replacement built by {@link #serve(CertificateKeyPair)}
     */
    public void replace(int index, ServedCertificate replacement) {
        served.updateAndGet(current -> {
            List<ServedCertificate> next = new ArrayList<>(current);
            next.set(index, replacement);
            return List.copyOf(next);
        });
    }

    /**
     * @param serverName the ClientHello's {@code server_name}, or null
     * @return the certificate served for it
     */
    public ServedCertificate select(String serverName) {
        List<ServedCertificate> snapshot = served.get();
        if (serverName != null && snapshot.size() > 1) { // one chain is served whatever the name
            for (ServedCertificate s : snapshot) {
                if (HostnameMatcher.matches(serverName, s.leaf())) {
                    return s;
                }
            }
        }
        return snapshot.get(0);
    }

    @Override
    public SslContext map(String serverName) {
        return select(serverName).context();
    }

    /** @return every served certificate, the default first */
    public List<ServedCertificate> all() {
        return served.get();
    }

    /** @return the policy the engine was configured with: the listener's policy as BoringSSL can serve it */
    public TlsPolicy policy() {
        return policy;
    }

    /** @return what the engine leaves out of the configured policy (protocols, explicit cipher suites) */
    public EngineDrops engineDrops() {
        return drops;
    }

    /** Names BoringSSL's view of a cipher suite for logs, e.g. from the engine's session. */
    public static String ianaCipherName(String engineName) {
        var code = TlsRegistry.cipherSuiteCode(engineName);
        return code.isPresent() ? TlsRegistry.cipherSuiteName(code.getAsInt()) : engineName;
    }
}
