package io.tlslens.inspector.diagnosis;

import io.tlslens.inspector.cert.CertificateSummary;
import io.tlslens.inspector.wire.Alert;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The probable root cause of one failed handshake with its evidence (docs/log.md).
 *
 * @param cause               the cause code
 * @param summary             one sentence naming the mismatch
 * @param hints               fixes, each prefixed with its platform where it is platform-specific
 *                            ({@code nginx: …}, {@code HAProxy: …}, {@code AWS ALB: …}, {@code Kubernetes ingress-nginx: …})
 * @param alert               the alert reported with the failure (received, else sent), or null
 * @param alertSender         who sent {@code alert}
 * @param certificate         the certificate the problem is about, or null
 * @param certificateProblem  one sentence on what is wrong with it, or null
 * @param evidence            further facts, in a stable order (stage, first_bytes, offered, accepted, …)
 */
public record Diagnosis(Cause cause, String summary, List<String> hints, Alert alert, AlertSender alertSender,
                        CertificateSummary certificate, String certificateProblem, Map<String, String> evidence) {
    public Diagnosis {
        hints = List.copyOf(hints);
        evidence = Collections.unmodifiableMap(new LinkedHashMap<>(evidence));
        alertSender = alert == null ? AlertSender.NONE : alertSender;
    }

    /** @return the alert description name for the {@code alert} label, or {@code none} */
    public String alertLabel() {
        return alert == null ? "none" : alert.descriptionName();
    }
}
