package io.tlslens.proxy.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSslContextOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.tlslens.config.BackendSettings;
import io.tlslens.config.BackendTls;
import io.tlslens.inspector.cert.ChainAnalyzer;
import io.tlslens.inspector.cert.ChainVerifier;
import io.tlslens.inspector.cert.CrlStatus;
import io.tlslens.inspector.policy.TlsPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;

import java.util.List;
import java.util.function.Consumer;

/**
 * The client TLS context of a listener's backend leg (re-encrypt and originate): BoringSSL with the
 * backend policy (its versions, cipher suites and named groups) and {@code backend.tls.alpn}, the
 * configured trust ({@code system} or a PEM bundle) checked by {@link VerifyingTrustManager}, and the
 * client certificate for mTLS when configured.
 */
public final class BackendTlsContext {
    private static final Logger LOG = LoggerFactory.getLogger(BackendTlsContext.class);
    private final SslContext context;
    private final TlsPolicy policy;
    private final ChainAnalyzer analyzer;
    private final BackendSettings backend;
    private final EngineDrops drops;

    private BackendTlsContext(SslContext context, TlsPolicy policy, EngineDrops drops, ChainAnalyzer analyzer,
                              BackendSettings backend) {
        this.context = context;
        this.policy = policy;
        this.drops = drops;
        this.analyzer = analyzer;
        this.backend = backend;
    }

    /**
     * @param backend  the listener's backend settings with {@code tls.enabled = true}
     * @param listener the listener's name, for warnings
     * @param crlChecks told each backend chain's CRL status when {@code backend.tls.crl} is set
     * @return the context
     * @throws SSLException             when the engine refuses the settings
     * @throws IllegalArgumentException when the engine can serve none of the configured cipher suites
     */
    public static BackendTlsContext build(BackendSettings backend, String listener, Consumer<CrlStatus> crlChecks)
            throws SSLException {
        BackendTls tls = backend.tls();
        String where = "the backend leg of listener '" + listener + "'";
        EnginePolicy.Narrowed narrowed = EnginePolicy.narrow(tls.policy(), where);
        narrowed.drops().describe().forEach(w -> LOG.warn("{}: {}", where, w));
        TlsPolicy effective = narrowed.policy();
        boolean system = tls.trustFile().isEmpty();
        ChainVerifier verifier = system ? ChainVerifier.withSystemTrust(List.of(), tls.crls())
                : new ChainVerifier(tls.trustCertificates(), tls.crls());
        ChainAnalyzer analyzer = system ? ChainAnalyzer.withSystemTrust(List.of()) : new ChainAnalyzer(tls.trustCertificates());
        SslContextBuilder b = SslContextBuilder.forClient()
                .sslProvider(TlsProvider.get())
                .protocols(EnginePolicy.protocolNames(effective))
                .ciphers(EnginePolicy.cipherNames(effective))
                .endpointIdentificationAlgorithm(null)
                .applicationProtocolConfig(EnginePolicy.alpn(tls.alpn()))
                .trustManager(new VerifyingTrustManager(verifier, tls.verifyHostname(), List.of(), crlChecks));
        String[] groups = EnginePolicy.groupNames(effective);
        if (groups.length > 0) {
            b.option(OpenSslContextOption.GROUPS, groups);
        }
        tls.certificate().ifPresent(pair -> b.keyManager(new FixedClientKeyManager(pair.key(), pair.chain())));
        return new BackendTlsContext(b.build(), effective, narrowed.drops(), analyzer, backend);
    }

    /**
     * @param alloc      the channel's allocator
     * @param serverName the SNI to send and the name to verify, or null to send none
     * @return a new client SslHandler without its own handshake timeout
     */
    public SslHandler newHandler(ByteBufAllocator alloc, String serverName) {
        String peer = serverName != null ? serverName : backend.address().host();
        SslHandler h = context.newHandler(alloc, peer, backend.address().port());
        h.setHandshakeTimeoutMillis(0);
        return h;
    }

    /**
     * The name sent as SNI and verified: {@code backend.tls.server-name}, else the client's SNI
     * (terminate mode), else the backend host when it is a name.
     *
     * @param clientSni the client's server_name, or null
     * @return the server name, or null when there is none (an IP backend without server-name)
     */
    public String serverName(String clientSni) {
        if (backend.tls().serverName().isPresent()) {
            return backend.tls().serverName().get();
        }
        if (clientSni != null) {
            return clientSni;
        }
        String host = backend.address().host();
        return host.matches("[0-9.]+") || host.contains(":") ? null : host;
    }

    /** @return what the engine leaves out of the configured backend policy */
    public EngineDrops engineDrops() {
        return drops;
    }

    public TlsPolicy policy() {
        return policy;
    }

    public ChainAnalyzer analyzer() {
        return analyzer;
    }

    /** @return whether backend certificates are checked with OCSP after the handshake */
    public boolean ocsp() {
        return backend.tls().ocsp();
    }

    public boolean clientCertificateConfigured() {
        return backend.tls().certificate().isPresent();
    }
}
