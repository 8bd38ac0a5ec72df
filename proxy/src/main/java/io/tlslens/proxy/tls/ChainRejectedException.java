package io.tlslens.proxy.tls;

import io.tlslens.inspector.cert.VerifierResult;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Thrown by {@link VerifyingTrustManager} when it refuses a peer's chain. The TLS engine keeps it as
 * the cause of its handshake exception, so the verifier's own reason and the chain as received
 * reach the diagnoser as facts, not as text.
 */
public final class ChainRejectedException extends CertificateException {
    private static final long serialVersionUID = 1L;
    private final transient VerifierResult result;
    private final transient List<X509Certificate> chain;

    public ChainRejectedException(VerifierResult result, List<X509Certificate> chain) {
        super(result.problem() + ": " + result.detail());
        this.result = result;
        this.chain = List.copyOf(chain);
    }

    public VerifierResult result() {
        return result;
    }

    public List<X509Certificate> chain() {
        return chain;
    }

    /** @return the first ChainRejectedException in the cause chain of {@code t}, or null */
    public static ChainRejectedException find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ChainRejectedException r) {
                return r;
            }
        }
        return null;
    }
}
