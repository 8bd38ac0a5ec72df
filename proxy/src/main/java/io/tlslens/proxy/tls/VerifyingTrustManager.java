package io.tlslens.proxy.tls;

import io.tlslens.inspector.cert.ChainVerifier;
import io.tlslens.inspector.cert.CrlStatus;
import io.tlslens.inspector.cert.VerifierResult;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The trust manager tlslens gives BoringSSL: verifies a backend's server chain (PKIX to the
 * configured trust, then the name the engine was created for when hostname verification is on) or
 * a client's certificate (PKIX to {@code client-ca}, clientAuth usage), and refuses with a
 * {@link ChainRejectedException} carrying the verifier's reason. What the CRLs said about a server chain is
 * told to the listener's counter.
 */
final class VerifyingTrustManager extends X509ExtendedTrustManager {
    private final ChainVerifier verifier;
    private final boolean verifyHostname;
    private final List<X509Certificate> acceptedIssuers;
    private final Consumer<CrlStatus> crlChecks;

    /**
     * @param verifier       the PKIX verifier with its trust anchors
     * @param verifyHostname check server chains against the engine's peer host
     * @param acceptedIssuers CA names to advertise in a CertificateRequest (client-ca), may be empty
     * @param crlChecks      told each server chain's CRL status when the verifier has CRLs
     */
    VerifyingTrustManager(ChainVerifier verifier, boolean verifyHostname, List<X509Certificate> acceptedIssuers,
                          Consumer<CrlStatus> crlChecks) {
        this.verifier = verifier;
        this.verifyHostname = verifyHostname;
        this.acceptedIssuers = List.copyOf(acceptedIssuers);
        this.crlChecks = crlChecks;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        String host = verifyHostname && engine != null ? engine.getPeerHost() : null;
        check(verifier.verify(Arrays.asList(chain), host, false, Instant.now(), crlChecks), chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(verifier.verify(Arrays.asList(chain), null, true, Instant.now()), chain);
    }

    private static void check(VerifierResult r, X509Certificate[] chain) throws ChainRejectedException {
        if (!r.ok()) {
            throw new ChainRejectedException(r, Arrays.asList(chain));
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkServerTrusted(chain, authType, (SSLEngine) null);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkClientTrusted(chain, authType, (SSLEngine) null);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        checkServerTrusted(chain, authType, (SSLEngine) null);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        checkClientTrusted(chain, authType, (SSLEngine) null);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return acceptedIssuers.toArray(new X509Certificate[0]);
    }
}
