package io.tlslens.proxy.backend.probe;

import io.tlslens.inspector.cert.CertificateSummary;
import io.tlslens.proxy.backend.probe.ProbeFacts.NameKind;

import java.time.Instant;
import java.util.List;

/**
 * The judged probe: {@link ProbeFacts} plus what they mean — chain problems, the OCSP staple, named policies
 * satisfied, corpus clients that would fail, and findings ranked by severity. {@link ProbeOutput} prints it.
 *
 * @param facts          what was observed
 * @param checkedAt      the time validity was judged at
 * @param chains         one per server_name asked (name, none, unknown)
 * @param staple         the OCSP staple of the main chain (with the name, else without SNI)
 * @param alpn           ALPN protocols the server selected when offered alone
 * @param policies       every named policy, satisfied or not
 * @param corpusClients  clients judged from the testssl.sh corpus (0 when it could not be read)
 * @param corpusProblem  why the corpus could not be read, or null
 * @param failingClients corpus clients that would fail, in corpus order
 * @param findings       ranked: errors, then warnings, then information
 */
public record ProbeReport(ProbeFacts facts, Instant checkedAt, List<Chain> chains, Staple staple, List<String> alpn,
                          List<Policy> policies, int corpusClients, String corpusProblem, List<FailingClient> failingClients,
                          List<Finding> findings) {
    public ProbeReport {
        chains = List.copyOf(chains);
        alpn = List.copyOf(alpn);
        policies = List.copyOf(policies);
        failingClients = List.copyOf(failingClients);
        findings = List.copyOf(findings);
    }

    /** Finding severities, most severe first. */
    public enum Severity {
        ERROR, WARNING, INFO;

        /** @return {@code error}, {@code warning}, {@code info} */
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * The chain served for one server_name.
     *
     * @param kind          which name
     * @param sni           the server_name sent, or null
     * @param checkedName   the name the leaf was checked against (null: not checked, e.g. the unknown name)
     * @param refusal       how the server refused this name, or null when it served a certificate
     * @param certificates  as served, leaf first, each with its key and days left
     * @param problems      cause codes of the chain's problems, in DIAGNOSIS order
     * @param details       one sentence per problem, same order
     * @param complete      false when an intermediate is missing or out of order
     * @param trusted       true when the chain reaches a trust anchor (system roots or --trust)
     * @param selfSigned    true when the leaf is self-signed
     * @param nameCovered   whether the leaf covers {@code checkedName}, null when not checked
     */
    public record Chain(NameKind kind, String sni, String checkedName, String refusal, List<Certificate> certificates,
                        List<String> problems, List<String> details, boolean complete, boolean trusted, boolean selfSigned,
                        Boolean nameCovered) {
        public Chain {
            certificates = List.copyOf(certificates);
            problems = List.copyOf(problems);
            details = List.copyOf(details);
        }
    }

    /**
     * One certificate.
     *
     * @param summary  subject, issuer, dates, SANs, fingerprint
     * @param key      e.g. {@code ECDSA P-256}, {@code RSA 2048}, {@code Ed25519}
     * @param daysLeft whole days until notAfter (negative when expired)
     */
    public record Certificate(CertificateSummary summary, String key, long daysLeft) {
    }

    /**
     * The OCSP staple.
     *
     * @param present        true when the server stapled a response
     * @param asked          true when status_request was sent (false: only a TLS client without it was possible)
     * @param status         {@code good}, {@code revoked}, {@code unknown}, {@code unusable}; null when absent
     * @param thisUpdate     thisUpdate, or null
     * @param nextUpdate     nextUpdate, or null
     * @param revokedAt      when revoked, or null
     * @param signatureValid signed by the issuer (or its delegate), null when not checkable
     * @param detail         why unusable, or null
     */
    public record Staple(boolean present, boolean asked, String status, Instant thisUpdate, Instant nextUpdate,
                         Instant revokedAt, Boolean signatureValid, String detail) {
    }

    /**
     * One named policy.
     *
     * @param name      e.g. {@code intermediate}, {@code ELBSecurityPolicy-TLS-1-2-2017-01}
     * @param satisfied true when every version and cipher suite the server accepts is within the policy
     * @param outside   the versions and cipher suites the server accepts that the policy does not
     */
    public record Policy(String name, boolean satisfied, List<String> outside) {
        public Policy {
            outside = List.copyOf(outside);
        }
    }

    /**
     * A corpus client that would fail.
     *
     * @param client  its name in the testssl.sh corpus, e.g. {@code Java 8u161}
     * @param cause   {@code protocol_version_mismatch}, {@code no_shared_cipher}, {@code no_shared_group} or
     *                {@code sni_missing}
     * @param current true when testssl.sh counts it among current clients
     * @param tls12   true when the client speaks TLS 1.2 or later
     * @param summary one sentence
     */
    public record FailingClient(String client, String cause, boolean current, boolean tls12, String summary) {
    }

    /**
     * One finding.
     *
     * @param cause    a cause code of the docs/ taxonomy
     * @param severity how bad
     * @param summary  one sentence with the evidence
     * @param hints    the fix hints for the cause
     */
    public record Finding(String cause, Severity severity, String summary, List<String> hints) {
        public Finding {
            hints = List.copyOf(hints);
        }
    }

    /** @return true when a finding is an error or a warning (exit code 1) */
    public boolean problemsFound() {
        return findings.stream().anyMatch(f -> f.severity() != Severity.INFO);
    }
}
