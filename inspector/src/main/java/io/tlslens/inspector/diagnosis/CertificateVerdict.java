package io.tlslens.inspector.diagnosis;

import io.tlslens.inspector.cert.CertificateProblem;
import io.tlslens.inspector.cert.CertificateSummary;
import io.tlslens.inspector.cert.ChainAnalysis;
import io.tlslens.inspector.wire.Alert;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * docs/diagnosis.md step 5: the peer turned down the certificate chain it received. Chooses among the
 * problems the chain analysis found, guided by the alert the peer sent.
 */
final class CertificateVerdict {
    /** Alerts a verifying peer sends about the chain it received (RFC 8446 §6.2); internal_error from BoringSSL clients. */
    static final Set<Integer> CERTIFICATE_ALERTS = Set.of(42, 43, 44, 45, 46, 48, 80);

    private static final int CERTIFICATE_REVOKED = 44;
    private static final int CERTIFICATE_EXPIRED = 45;
    private static final int UNKNOWN_CA = 48;

    /**
     * The problem chosen and the certificate it concerns.
     *
     * @param problem     the problem
     * @param certificate the certificate it is about
     * @param sentence    evidence sentence
     */
    record Choice(CertificateProblem problem, CertificateSummary certificate, String sentence) {
        Cause cause() {
            return switch (problem) {
                case CHAIN_INCOMPLETE -> Cause.CERTIFICATE_CHAIN_INCOMPLETE;
                case SELF_SIGNED, UNTRUSTED_ROOT -> Cause.CERTIFICATE_UNTRUSTED;
                case EXPIRED -> Cause.CERTIFICATE_EXPIRED;
                case NOT_YET_VALID -> Cause.CERTIFICATE_NOT_YET_VALID;
                case HOSTNAME_MISMATCH -> Cause.CERTIFICATE_HOSTNAME_MISMATCH;
                case REVOKED -> Cause.CERTIFICATE_REVOKED;
            };
        }
    }

    private CertificateVerdict() {
    }

    /**
     * @param chain         analysis of the chain the peer received
     * @param requestedName SNI or connected address, may be null
     * @param alert         the peer's alert, or null for a silent close after a completed handshake
     * @param now           time of judgement
     * @return the problem that explains the rejection, empty when the analysis found none that applies
     */
    static Optional<Choice> choose(ChainAnalysis chain, String requestedName, Alert alert, Instant now) {
        List<CertificateProblem> definite = chain.definiteProblems(requestedName, now);
        List<CertificateProblem> candidates = new ArrayList<>(definite);
        boolean silentClose = alert == null;
        if (!silentClose) {
            chain.clientDependentProblem().ifPresent(candidates::add);
        }
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        CertificateProblem chosen = silentClose ? afterCompletedHandshake(candidates)
                : selectByAlert(alert.description(), candidates);
        return Optional.of(new Choice(chosen, certificateFor(chosen, chain, now), chain.describe(chosen, requestedName, now)));
    }

    /**
     * A client that finished the handshake accepted the chain's trust and dates; what clients check
     * afterwards is the name (curl) or the revocation status (OCSP, {@code curl --cert-status}). So those
     * come first among the definite problems, then the rest in the order of docs/diagnosis.md step 5.
     */
    private static CertificateProblem afterCompletedHandshake(List<CertificateProblem> definite) {
        return definite.stream()
                .filter(p -> p == CertificateProblem.HOSTNAME_MISMATCH || p == CertificateProblem.REVOKED)
                .findFirst().orElse(definite.get(0));
    }

    private static CertificateProblem selectByAlert(int description, List<CertificateProblem> candidates) {
        List<CertificateProblem> preferred = switch (description) {
            case CERTIFICATE_EXPIRED -> List.of(CertificateProblem.EXPIRED, CertificateProblem.NOT_YET_VALID);
            case CERTIFICATE_REVOKED -> List.of(CertificateProblem.REVOKED);
            case UNKNOWN_CA -> List.of(CertificateProblem.CHAIN_INCOMPLETE, CertificateProblem.SELF_SIGNED,
                    CertificateProblem.UNTRUSTED_ROOT);
            default -> List.of();
        };
        for (CertificateProblem p : candidates) {
            if (preferred.contains(p)) {
                return p;
            }
        }
        return candidates.get(0);
    }

    private static CertificateSummary certificateFor(CertificateProblem problem, ChainAnalysis chain, Instant now) {
        List<CertificateSummary> certs = chain.chain();
        if (problem == CertificateProblem.EXPIRED) {
            return certs.stream().filter(c -> now.isAfter(c.notAfter())).findFirst().orElse(certs.get(0));
        }
        if (problem == CertificateProblem.NOT_YET_VALID) {
            return certs.stream().filter(c -> now.isBefore(c.notBefore())).findFirst().orElse(certs.get(0));
        }
        return certs.get(0);
    }
}
