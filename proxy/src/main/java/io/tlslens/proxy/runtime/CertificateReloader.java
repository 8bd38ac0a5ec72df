package io.tlslens.proxy.runtime;

import io.tlslens.config.CertificateFiles;
import io.tlslens.config.CertificateKeyPair;
import io.tlslens.config.ConfigProblem;
import io.tlslens.config.InvalidConfigException;
import io.tlslens.inspector.cert.CertificateSummary;
import io.tlslens.proxy.conn.ListenerContext;
import io.tlslens.proxy.telemetry.ProxyMetrics;
import io.tlslens.proxy.tls.ServedCertificate;
import io.tlslens.proxy.tls.ServedCertificateGauges;
import net.logstash.logback.argument.StructuredArguments;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Certificate rotation without restart. Every {@code reload-interval} a daemon thread (never an event
 * loop) hashes the content of every terminate listener's certificate and key files, opening them by
 * their configured path each time, so a Kubernetes Secret or cert-manager {@code ..data} symlink swap is
 * seen like a plain rewrite. A changed pair is loaded once its content has been the same on two
 * consecutive polls (a pair being written file by file is not read half-way), validated like at start-up
 * ({@link CertificateFiles#load}), built into a new context and swapped in for new handshakes
 * ({@link ServerTlsContexts#replace}); open connections keep theirs. A bad pair is logged
 * ({@code tls_certificate_reload_failed}) once per content and the old one stays.
 * Counts {@code tlslens_config_reloads_total{listener, result}}; the expiry gauges follow.
 */
public final class CertificateReloader implements AutoCloseable {
    /** Logger name of the reload lines. */
    public static final String LOGGER = "tlslens.reload";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    private final ProxyMetrics metrics;
    private final Duration interval;
    private final List<Watched> watched = new ArrayList<>();
    private ScheduledExecutorService executor;

    /** One configured certificate/key pair of one listener and what was last seen of its files. */
    private static final class Watched {
        final ListenerContext listener;
        final ServedCertificateGauges gauges;
        final int index;
        final Path cert;
        final Path key;
        /** Content hash of the pair being served. */
        String served;
        /** Content hash seen on the previous poll, when it differed from {@link #served}. */
        String pending;
        /** Content hash last rejected, so a bad pair is reported once. */
        String rejected;

        Watched(ListenerContext listener, ServedCertificateGauges gauges, int index, CertificateKeyPair pair) {
            this.listener = listener;
            this.gauges = gauges;
            this.index = index;
            this.cert = pair.certFile();
            this.key = pair.keyFile();
        }
    }

    /**
     * @param metrics  where reloads are counted and expiry gauges live
     * @param interval time between polls; zero: never poll (the gauges are still published)
     */
    CertificateReloader(ProxyMetrics metrics, Duration interval) {
        this.metrics = metrics;
        this.interval = interval;
    }

    /**
     * Publishes a terminate listener's expiry gauges and, when polling is on, records the current content
     * of its files and zero reload counters.
     */
    synchronized void watch(ListenerContext lc) {
        ServedCertificateGauges gauges = new ServedCertificateGauges(metrics, lc.name());
        gauges.show(lc.tls().all());
        if (interval.isZero()) {
            return;
        }
        metrics.configReloads(lc.name(), "success");
        metrics.configReloads(lc.name(), "failure");
        List<CertificateKeyPair> pairs = lc.settings().tls().certificates();
        for (int i = 0; i < pairs.size(); i++) {
            Watched w = new Watched(lc, gauges, i, pairs.get(i));
            w.served = fingerprint(w);
            watched.add(w);
        }
    }

    /** Starts polling; does nothing when the interval is zero or nothing is watched. */
    synchronized void start() {
        if (interval.isZero() || watched.isEmpty() || executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tlslens-certificate-reload");
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(1, interval.toMillis());
        executor.scheduleWithFixedDelay(this::poll, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** Checks every watched pair once. */
    synchronized void poll() {
        for (Watched w : watched) {
            try {
                check(w);
            } catch (RuntimeException e) {
                LOG.error("certificate reload check failed", StructuredArguments.keyValue("event", "tls_certificate_reload_failed"),
                        StructuredArguments.keyValue("listener", w.listener.name()), e);
            }
        }
    }

    private void check(Watched w) {
        String now = fingerprint(w);
        if (now.equals(w.served)) {
            w.pending = null;
            return;
        }
        if (!now.equals(w.pending)) {
            w.pending = now; // changed since the last poll: wait until it holds still
            return;
        }
        if (now.equals(w.rejected)) {
            return;
        }
        CertificateKeyPair pair;
        ServedCertificate next;
        try {
            pair = CertificateFiles.load(w.cert, w.key);
            next = w.listener.tls().serve(pair);
        } catch (InvalidConfigException e) {
            if (stable(w, now)) {
                reject(w, now, e.problems().stream().map(ConfigProblem::toString).toList());
            }
            return;
        } catch (IOException | RuntimeException e) {
            if (stable(w, now)) {
                reject(w, now, List.of("the TLS engine refused the pair: " + e.getMessage()));
            }
            return;
        }
        if (!stable(w, now)) {
            return; // the files changed while being read: load them on a later poll
        }
        w.listener.tls().replace(w.index, next);
        w.served = now;
        w.pending = null;
        w.rejected = null;
        w.gauges.show(w.listener.tls().all());
        metrics.configReloads(w.listener.name(), "success").increment();
        CertificateSummary leaf = next.analysis().chain().get(0);
        Map<String, Object> fields = fields(w);
        fields.put("subject", leaf.subject());
        fields.put("serial", leaf.serialHex());
        fields.put("not_after", leaf.notAfter().toString());
        LOG.info("certificate of listener '{}' reloaded from {}", w.listener.name(), w.cert,
                StructuredArguments.keyValue("event", "tls_certificate_reloaded"), StructuredArguments.entries(fields));
    }

    private boolean stable(Watched w, String expected) {
        return expected.equals(fingerprint(w));
    }

    private void reject(Watched w, String fingerprint, List<String> problems) {
        w.rejected = fingerprint;
        metrics.configReloads(w.listener.name(), "failure").increment();
        Map<String, Object> fields = fields(w);
        fields.put("problems", problems);
        LOG.error("certificate of listener '{}' not reloaded, the previous one is still served: {}", w.listener.name(),
                String.join("; ", problems), StructuredArguments.keyValue("event", "tls_certificate_reload_failed"),
                StructuredArguments.entries(fields));
    }

    private static Map<String, Object> fields(Watched w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("listener", w.listener.name());
        m.put("certificate_index", w.index);
        m.put("cert_file", w.cert.toString());
        m.put("key_file", w.key.toString());
        m.put("cert_real_path", realPath(w.cert));
        m.put("key_real_path", realPath(w.key));
        return m;
    }

    private static String realPath(Path p) {
        try {
            return p.toRealPath().toString();
        } catch (IOException e) {
            return "unresolvable: " + e.getMessage();
        }
    }

    /** @return SHA-256 over both files' content (following symlinks), or a marker naming what is unreadable */
    private static String fingerprint(Watched w) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] a = sha.digest(Files.readAllBytes(w.cert));
            byte[] b = sha.digest(Files.readAllBytes(w.key));
            return HexFormat.of().formatHex(a) + ":" + HexFormat.of().formatHex(b);
        } catch (IOException e) {
            return "unreadable:" + e.getClass().getSimpleName() + ":" + e.getMessage();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops polling. */
    @Override
    public synchronized void close() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }
}
