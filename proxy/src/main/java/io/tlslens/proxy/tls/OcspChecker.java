package io.tlslens.proxy.tls;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.tlslens.inspector.cert.VerifierResult;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.jcajce.JcaCertificateID;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Asks the OCSP responder named in each certificate's Authority Information Access (RFC 6960,
 * RFC 5280 §4.2.2.1) whether a chain's certificates are revoked. Asynchronous (the JDK HttpClient,
 * never on an event loop), cached per certificate until the response's nextUpdate (at most 1 h, at
 * least 1 min), soft-failing: an unreachable responder, an unsigned or unknown answer leaves the
 * status unknown, which is not a failure. Requests and responses use Bouncy Castle.
 */
public final class OcspChecker {
    private static final Logger LOG = LoggerFactory.getLogger(OcspChecker.class);
    /** How long a connection waits for the answer before it goes on (soft-fail); the answer may still come. */
    private static final Duration WAIT = Duration.ofSeconds(3); // = WAIT_SECONDS
    /** How long a responder may take at most: an answer after {@link #WAIT} still counts, late. */
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final Duration MAX_CACHE = Duration.ofHours(1);
    private static final Duration MIN_CACHE = Duration.ofMinutes(1);
    private static final int MAX_CACHED = 10_000;
    private final Cache<String, Boolean> warned = Caffeine.newBuilder().maximumSize(1_000)
            .expireAfterWrite(Duration.ofMinutes(10)).build();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(WAIT).build();
    /** Answers per certificate (issuer and serial) until nextUpdate; bounded, a flood of chains cannot grow it. */
    private final Cache<String, Cached> cache = Caffeine.newBuilder().maximumSize(MAX_CACHED)
            .expireAfter(Expiry.<String, Cached>creating((key, c) -> Duration.between(Instant.now(), c.until())))
            .build();

    private record Cached(VerifierResult result, Instant until) {
    }

    /**
     * One OCSP answer for one certificate.
     *
     * @param der       the DER-encoded OCSPResponse, as received (what a server staples)
     * @param status    REVOKED with evidence, else OK (good)
     * @param goodUntil when to ask again: the response's nextUpdate, bounded to [1 min, 1 h] from now
     */
    public record Answer(byte[] der, VerifierResult status, Instant goodUntil) {
    }

    /**
     * The status of a chain for one connection: what it may wait for, and the whole answer.
     *
     * @param inTime the status within {@value #WAIT_SECONDS} seconds: {@link VerifierResult#OK} when the answer is not
     *               there yet (soft-fail, the connection goes on)
     * @param answer the status once every responder answered or failed (up to 15 s): a "revoked" here after an OK
     *               {@code inTime} is a late answer, to be reported against the connection that went on
     */
    public record Check(CompletableFuture<VerifierResult> inTime, CompletableFuture<VerifierResult> answer) {
    }

    private static final long WAIT_SECONDS = 3;

    /**
     * @param chain   the chain as the peer sent it, leaf first
     * @param results told each certificate's result: {@code good}, {@code revoked} or {@code unavailable}
     *                (no usable answer: soft-fail); from any thread
     * @return the status within the wait and the final one; a late "revoked" is cached like any answer, so later
     * connections are refused until its nextUpdate
     */
    public Check checkWithDeadline(List<X509Certificate> chain, Consumer<String> results) {
        CompletableFuture<VerifierResult> answer = check(chain, results);
        return new Check(answer.copy().completeOnTimeout(VerifierResult.OK, WAIT.toMillis(), TimeUnit.MILLISECONDS),
                answer);
    }

    /**
     * @param chain the chain as the peer sent it, leaf first
     * @return REVOKED for the first revoked certificate, else {@link VerifierResult#OK}; never fails
     */
    public CompletableFuture<VerifierResult> check(List<X509Certificate> chain, Consumer<String> results) {
        List<CompletableFuture<VerifierResult>> each = new ArrayList<>();
        for (int i = 0; i + 1 < chain.size(); i++) {
            X509Certificate cert = chain.get(i);
            X509Certificate issuer = chain.get(i + 1);
            if (cert.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
                each.add(status(cert, issuer, results));
            }
        }
        return CompletableFuture.allOf(each.toArray(CompletableFuture<?>[]::new)).handle((v, e) -> each.stream()
                .map(f -> f.getNow(VerifierResult.OK)).filter(r -> !r.ok()).findFirst().orElse(VerifierResult.OK));
    }

    private CompletableFuture<VerifierResult> status(X509Certificate cert, X509Certificate issuer, Consumer<String> results) {
        String key = issuer.getSubjectX500Principal().getName() + "#" + cert.getSerialNumber();
        Cached hit = cache.getIfPresent(key);
        if (hit != null && Instant.now().isBefore(hit.until())) {
            results.accept(hit.result().ok() ? "good" : "revoked");
            return CompletableFuture.completedFuture(hit.result());
        }
        return fetch(cert, issuer).thenApply(answer -> {
            if (answer.isEmpty()) {
                results.accept("unavailable");
                softFail(cert);
                return VerifierResult.OK;
            }
            OcspChecker.Answer a = answer.get();
            cache.put(key, new Cached(a.status(), a.goodUntil()));
            results.accept(a.status().ok() ? "good" : "revoked");
            return a.status();
        });
    }

    /** Says, once per responder every 10 minutes, that a status could not be had and the connection went on. */
    private void softFail(X509Certificate cert) {
        String url = responder(cert).map(Object::toString).orElse("(no OCSP responder in the AIA)");
        if (warned.asMap().putIfAbsent(url, Boolean.TRUE) == null) {
            LOG.warn("OCSP status of {} unavailable from {}: soft-fail, connections go on unchecked "
                    + "(tlslens_revocation_checks_total{{result=\"unavailable\"}} counts them)",
                    cert.getSubjectX500Principal().getName(), url);
        }
    }

    /**
     * Asks the certificate's OCSP responder (from its AIA) about it, asynchronously.
     *
     * @param cert   the certificate
     * @param issuer its issuer, which signs the response or delegates to a responder it signed
     * @return the answer; empty when there is no responder, it is unreachable, or the answer is unsigned, unknown or
     * not about this certificate (the reason is logged at debug level); never fails
     */
    public CompletableFuture<Optional<Answer>> fetch(X509Certificate cert, X509Certificate issuer) {
        Optional<URI> url = responder(cert);
        if (url.isEmpty()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        try {
            CertificateID id = new JcaCertificateID(new JcaDigestCalculatorProviderBuilder().build()
                    .get(CertificateID.HASH_SHA1), issuer, cert.getSerialNumber());
            byte[] body = new OCSPReqBuilder().addRequest(id).build().getEncoded();
            HttpRequest req = HttpRequest.newBuilder(url.get()).timeout(TIMEOUT)
                    .header("Content-Type", "application/ocsp-request")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            return http.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray())
                    .thenApply(res -> interpret(res.body(), id, cert, issuer, url.get()))
                    .exceptionally(e -> unknown(url.get(), e.toString()));
        } catch (Exception e) {
            return CompletableFuture.completedFuture(unknown(url.get(), e.toString()));
        }
    }

    private Optional<Answer> interpret(byte[] bytes, CertificateID id, X509Certificate cert, X509Certificate issuer,
                                       URI url) {
        try {
            OCSPResp resp = new OCSPResp(bytes);
            if (resp.getStatus() != OCSPResp.SUCCESSFUL || !(resp.getResponseObject() instanceof BasicOCSPResp basic)) {
                return unknown(url, "response status " + resp.getStatus());
            }
            if (!signedByIssuerOrDelegate(basic, issuer)) {
                return unknown(url, "response not signed by the issuer or a responder it delegated to");
            }
            for (SingleResp single : basic.getResponses()) {
                if (!single.getCertID().equals(id)) {
                    continue;
                }
                CertificateStatus status = single.getCertStatus();
                if (status != null && !(status instanceof RevokedStatus)) {
                    return unknown(url, "status " + status.getClass().getSimpleName());
                }
                VerifierResult result = VerifierResult.OK;
                if (status instanceof RevokedStatus revoked) {
                    result = new VerifierResult(VerifierResult.Problem.REVOKED, cert.getSubjectX500Principal().getName()
                            + " (serial " + cert.getSerialNumber().toString(16).toUpperCase(Locale.ROOT)
                            + ") is revoked according to OCSP responder " + url + ", since "
                            + revoked.getRevocationTime().toInstant());
                }
                Instant now = Instant.now();
                Instant next = single.getNextUpdate() == null ? now.plus(MIN_CACHE) : single.getNextUpdate().toInstant();
                Instant until = next.isAfter(now.plus(MAX_CACHE)) ? now.plus(MAX_CACHE)
                        : next.isBefore(now.plus(MIN_CACHE)) ? now.plus(MIN_CACHE) : next;
                return Optional.of(new Answer(bytes, result, until));
            }
            return unknown(url, "no answer for this certificate in the response");
        } catch (Exception e) {
            return unknown(url, e.toString());
        }
    }

    /** Soft-fail: the status stays unknown, which is not a failure; said at debug level. */
    private static Optional<Answer> unknown(URI url, String why) {
        LOG.debug("OCSP status unknown from {}: {}", url, why);
        return Optional.empty();
    }

    /**
     * RFC 6960 §4.2.2.2: the response must be signed by the issuer, or by a responder certificate the issuer signed.
     *
     * @param basic  the basic OCSP response
     * @param issuer the issuer of the certificate asked about
     * @return whether the signature is the issuer's or its delegate's
     * @throws Exception when a signature cannot be checked at all
     */
    public static boolean signedByIssuerOrDelegate(BasicOCSPResp basic, X509Certificate issuer) throws Exception {
        JcaContentVerifierProviderBuilder verifiers = new JcaContentVerifierProviderBuilder();
        if (basic.isSignatureValid(verifiers.build(issuer.getPublicKey()))) {
            return true;
        }
        for (var holder : basic.getCerts()) {
            if (holder.isSignatureValid(verifiers.build(new JcaX509CertificateHolder(issuer)))
                    && basic.isSignatureValid(verifiers.build(holder))) {
                return true;
            }
        }
        return false;
    }

    /** @return the OCSP responder URL from the certificate's Authority Information Access, if any */
    public static Optional<URI> responder(X509Certificate cert) {
        byte[] ext = cert.getExtensionValue(Extension.authorityInfoAccess.getId());
        if (ext == null) {
            return Optional.empty();
        }
        AuthorityInformationAccess aia = AuthorityInformationAccess.getInstance(ASN1OctetString.getInstance(ext).getOctets());
        for (AccessDescription d : aia.getAccessDescriptions()) {
            if (AccessDescription.id_ad_ocsp.equals(d.getAccessMethod())
                    && d.getAccessLocation().getTagNo() == GeneralName.uniformResourceIdentifier) {
                try {
                    return Optional.of(URI.create(d.getAccessLocation().getName().toString()));
                } catch (IllegalArgumentException bad) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }
}
