package io.tlslens.proxy.tls;

import io.netty.util.concurrent.EventExecutor;
import io.tlslens.proxy.telemetry.ProxyMetrics;
import net.logstash.logback.argument.StructuredArguments;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Keeps an OCSP staple fresh for every certificate a listener serves ({@code tls.ocsp-stapling = true}):
 * fetches it from the leaf's AIA responder at start, again before the response's nextUpdate, and
 * after a reload. A failed refresh keeps the previous staple, is logged
 * ({@code tls_ocsp_staple_refresh_failed}) and counted in
 * {@code tlslens_ocsp_staple_refreshes_total{result="failure"}}, and is retried after a minute. A staple
 * saying "revoked" makes the chain's analysis carry the revocation (docs/diagnosis.md step 5).
 */
public final class OcspStapler {
    private static final Logger LOG = LoggerFactory.getLogger(OcspStapler.class);
    private static final Duration TICK = Duration.ofSeconds(5);
    private static final Duration RETRY = Duration.ofMinutes(1);

    private final String listener;
    private final ServerTlsContexts contexts;
    private final OcspChecker ocsp;
    private final ProxyMetrics metrics;

    public OcspStapler(String listener, ServerTlsContexts contexts, OcspChecker ocsp, ProxyMetrics metrics) {
        this.listener = listener;
        this.contexts = contexts;
        this.ocsp = ocsp;
        this.metrics = metrics;
    }

    /** Checks every 5 s, on {@code executor}, which staples are due; the fetches themselves run off the loop. */
    public void start(EventExecutor executor) {
        refreshDue();
        executor.scheduleAtFixedRate(this::refreshDue, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void refreshDue() {
        Instant now = Instant.now();
        for (ServedCertificate served : contexts.all()) {
            OcspStaple staple = served.staple();
            if (now.isBefore(staple.refreshAt())) {
                continue;
            }
            staple.retryAt(now.plus(RETRY)); // at most one fetch in flight per certificate
            refresh(served);
        }
    }

    private void refresh(ServedCertificate served) {
        List<X509Certificate> chain = served.chain();
        if (chain.size() < 2) {
            failed(served, "the served chain has no issuer certificate to build the OCSP request with");
            return;
        }
        ocsp.fetch(chain.get(0), chain.get(1)).whenComplete((answer, error) -> {
            if (error != null || answer == null || answer.isEmpty()) {
                metrics.revocationChecks(listener, "frontend", "ocsp", "unavailable").increment();
                failed(served, error != null ? error.toString() : "no usable answer from "
                        + OcspChecker.responder(chain.get(0)).map(Object::toString).orElse("(no OCSP responder in the AIA)"));
                return;
            }
            OcspChecker.Answer a = answer.get();
            String revoked = a.status().ok() ? null : a.status().detail();
            metrics.revocationChecks(listener, "frontend", "ocsp", revoked == null ? "good" : "revoked").increment();
            Instant next = a.goodUntil();
            Instant halfway = Instant.now().plus(Duration.between(Instant.now(), next).dividedBy(2));
            served.staple().set(a.der(), revoked, halfway);
            metrics.ocspStaple(listener, "success");
        });
    }

    private void failed(ServedCertificate served, String why) {
        served.staple().retryAt(Instant.now().plus(RETRY));
        metrics.ocspStaple(listener, "failure");
        LOG.warn("OCSP staple refresh failed for listener '{}'", listener,
                StructuredArguments.keyValue("event", "tls_ocsp_staple_refresh_failed"),
                StructuredArguments.keyValue("listener", listener),
                StructuredArguments.keyValue("subject", served.leaf().getSubjectX500Principal().getName()),
                StructuredArguments.keyValue("reason", why));
    }
}
