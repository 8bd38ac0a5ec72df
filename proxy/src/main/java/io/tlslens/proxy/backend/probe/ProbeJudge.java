package io.tlslens.proxy.backend.probe;

import io.tlslens.inspector.cert.CertificateProblem;
import io.tlslens.inspector.cert.CertificateSummary;
import io.tlslens.inspector.cert.ChainAnalysis;
import io.tlslens.inspector.cert.ChainAnalyzer;
import io.tlslens.inspector.compat.CompatibilityReport;
import io.tlslens.inspector.compat.CompatibilityRow;
import io.tlslens.inspector.compat.SeenClient;
import io.tlslens.inspector.corpus.SimulatedClient;
import io.tlslens.inspector.diagnosis.Cause;
import io.tlslens.inspector.diagnosis.FixHints;
import io.tlslens.inspector.fingerprint.Ja4;
import io.tlslens.inspector.policy.KeyType;
import io.tlslens.inspector.policy.NamedPolicies;
import io.tlslens.inspector.policy.TlsPolicy;
import io.tlslens.inspector.registry.TlsRegistry;
import io.tlslens.inspector.wire.Alert;
import io.tlslens.inspector.wire.ClientHello;
import io.tlslens.inspector.wire.ClientHelloReader;
import io.tlslens.inspector.wire.MalformedHandshakeException;
import io.tlslens.proxy.backend.probe.ProbeFacts.AlpnFacts;
import io.tlslens.proxy.backend.probe.ProbeFacts.NameFacts;
import io.tlslens.proxy.backend.probe.ProbeFacts.NameKind;
import io.tlslens.proxy.backend.probe.ProbeFacts.VersionFacts;
import io.tlslens.proxy.backend.probe.ProbeReport.Chain;
import io.tlslens.proxy.backend.probe.ProbeReport.FailingClient;
import io.tlslens.proxy.backend.probe.ProbeReport.Finding;
import io.tlslens.proxy.backend.probe.ProbeReport.Policy;
import io.tlslens.proxy.backend.probe.ProbeReport.Severity;
import io.tlslens.proxy.backend.probe.ProbeReport.Staple;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Judges {@link ProbeFacts}: analyses each chain ({@link ChainAnalyzer}: order, completeness up to a trust
 * anchor, dates, SAN coverage, self-signed), reads the OCSP staple, tells which named policies the server
 * satisfies, judges the testssl.sh corpus clients against a policy made of what the server accepted
 * ({@link CompatibilityReport}), and ranks findings by severity, each with its cause code and fix hints.
 * Pure: no I/O (the corpus is passed in).
 */
public final class ProbeJudge {
    private ProbeJudge() {
    }

    /** A leaf expiring within this many days is a warning. */
    public static final int EXPIRY_WARNING_DAYS = 30;

    /**
     * @param facts         what the probe observed
     * @param host          the target host (the name checked without SNI when there is no server name)
     * @param analyzer      trust anchors: system roots or --trust
     * @param corpus        the testssl.sh client corpus (may be empty)
     * @param corpusProblem why the corpus is empty, or null
     * @param now           the time to judge validity at
     * @return the report
     */
    public static ProbeReport judge(ProbeFacts facts, String host, ChainAnalyzer analyzer, List<SimulatedClient> corpus,
                                    String corpusProblem, Instant now) {
        List<Finding> findings = new ArrayList<>();
        if (facts.notTls() != null) {
            findings.add(finding(Cause.NOT_TLS, Severity.ERROR, "the server answered a TLS ClientHello with plaintext '"
                    + HelloExchange.printable(facts.notTls()) + "': this port does not speak TLS (what browsers report as "
                    + "SSL_ERROR_RX_RECORD_TOO_LONG and OpenSSL as 'wrong version number')"));
            return new ProbeReport(facts, now, List.of(), new Staple(false, false, null, null, null, null, null, null),
                    List.of(), policies(facts), 0, corpusProblem, List.of(), findings);
        }
        boolean anyVersion = facts.versions().stream().anyMatch(VersionFacts::accepted);
        if (!anyVersion) {
            findings.add(noVersion(facts));
        }

        String mainName = facts.serverName() != null ? facts.serverName() : host;
        List<Chain> chains = new ArrayList<>();
        Staple staple = new Staple(false, false, null, null, null, null, null, null);
        NameFacts main = facts.name(NameKind.NAME) != null ? facts.name(NameKind.NAME) : facts.name(NameKind.NONE);
        Chain mainChain = null;
        KeyType leafKey = null;
        for (NameFacts n : facts.names()) {
            String checked = n.kind() == NameKind.UNKNOWN ? null : mainName;
            ChainAnalysis analysis = n.chain().isEmpty() ? null : analyzer.analyze(n.chain());
            Staple s = null;
            if (n == main) {
                s = staple(n);
                staple = s;
                if (analysis != null && "revoked".equals(s.status())) {
                    analysis = analysis.withRevocation("the stapled OCSP response says revoked since " + s.revokedAt());
                }
            }
            Chain c = chain(n, checked, analysis, now);
            chains.add(c);
            if (n == main) {
                mainChain = c;
                leafKey = analysis == null ? null : analysis.leafKeyType();
            }
        }
        if (mainChain != null) {
            chainFindings(mainChain, Severity.ERROR, whose(mainChain), findings);
            expiry(mainChain, Severity.WARNING, whose(mainChain), findings);
        }
        sniFindings(facts, chains, mainChain, findings);
        if ("revoked".equals(staple.status()) && findings.stream().noneMatch(f -> f.cause().equals("certificate_revoked"))) {
            findings.add(finding(Cause.CERTIFICATE_REVOKED, Severity.ERROR, "the stapled OCSP response says the leaf is "
                    + "revoked since " + staple.revokedAt()));
        }
        List<String> alpn = facts.alpn().stream().filter(AlpnFacts::accepted).map(AlpnFacts::protocol).toList();
        if (!facts.alpn().isEmpty() && facts.alpn().stream().allMatch(a -> a.alertCode() == 120)) {
            findings.add(finding(Cause.ALPN_MISMATCH, Severity.WARNING, "the server refuses both h2 and http/1.1 "
                    + "with alert no_application_protocol (120)"));
        }

        List<FailingClient> failing = new ArrayList<>();
        int judged = 0;
        if (anyVersion) {
            judged = compatibility(facts, leafKey, corpus, failing);
            compatFindings(failing, judged, findings);
        }
        findings.sort(Comparator.comparing(Finding::severity));
        return new ProbeReport(facts, now, chains, staple, alpn, policies(facts), judged, corpusProblem, failing, findings);
    }

    // ---------------------------------------------------------------- versions

    private static Finding noVersion(ProbeFacts facts) {
        Set<String> refusals = new LinkedHashSet<>();
        facts.versions().forEach(v -> refusals.add(TlsRegistry.versionName(v.version()) + ": " + v.refusal()));
        String all = String.join("; ", refusals);
        Cause cause;
        if (all.contains("protocol_version")) {
            cause = Cause.PROTOCOL_VERSION_MISMATCH;
        } else if (all.contains("handshake_failure") || all.contains("insufficient_security")) {
            cause = Cause.NO_SHARED_CIPHER;
        } else if (all.contains("missing_extension")) {
            cause = Cause.SNI_MISSING;
        } else if (all.contains("unrecognized_name")) {
            cause = Cause.SNI_UNKNOWN;
        } else if (all.contains("timeout")) {
            cause = Cause.HANDSHAKE_TIMEOUT;
        } else if (all.contains("alert")) {
            cause = Cause.PEER_ALERT;
        } else {
            cause = Cause.PEER_CLOSED;
        }
        return finding(cause, Severity.ERROR, "the server accepted no ClientHello tlslens sent, at any version from SSL 3.0 "
                + "to TLS 1.3, with every cipher suite offered (" + all + ")");
    }

    // ---------------------------------------------------------------- chains

    private static Chain chain(NameFacts n, String checked, ChainAnalysis a, Instant now) {
        if (a == null) {
            String refusal = n.accepted() ? "no certificate learnt" : n.refusal();
            return new Chain(n.kind(), n.sni(), checked, refusal, List.of(), List.of(), List.of(), false, false, false, null);
        }
        List<ProbeReport.Certificate> certs = new ArrayList<>();
        for (CertificateSummary s : a.chain()) {
            certs.add(new ProbeReport.Certificate(s, key(s.keyAlgorithm()),
                    Math.floorDiv(Duration.between(now, s.notAfter()).toSeconds(), 86_400)));
        }
        List<CertificateProblem> problems = new ArrayList<>(a.definiteProblems(checked, now));
        a.clientDependentProblem().ifPresent(problems::add);
        List<String> codes = new ArrayList<>();
        List<String> details = new ArrayList<>();
        for (CertificateProblem p : problems) {
            String code = cause(p).code();
            if (!codes.contains(code)) {
                codes.add(code);
                String detail = a.describe(p, checked, now);
                if (n.kind() == NameKind.NONE && detail.startsWith("SNI '")) {
                    detail = "name '" + detail.substring(5); // no SNI was sent: it is the name the client connects to
                }
                details.add(detail);
            }
        }
        Boolean covered = checked == null ? null : !problems.contains(CertificateProblem.HOSTNAME_MISMATCH);
        return new Chain(n.kind(), n.sni(), checked, null, certs, codes, details, !a.incomplete(), a.anchored(),
                a.selfSignedLeaf(), covered);
    }

    /** @return {@code EC 256} → {@code ECDSA P-256}, {@code RSA 2048} as is, {@code Ed25519} as is */
    static String key(String keyAlgorithm) {
        if (keyAlgorithm.startsWith("EC ")) {
            return "ECDSA P-" + keyAlgorithm.substring(3);
        }
        return keyAlgorithm;
    }

    private static Cause cause(CertificateProblem p) {
        return switch (p) {
            case CHAIN_INCOMPLETE -> Cause.CERTIFICATE_CHAIN_INCOMPLETE;
            case SELF_SIGNED, UNTRUSTED_ROOT -> Cause.CERTIFICATE_UNTRUSTED;
            case EXPIRED -> Cause.CERTIFICATE_EXPIRED;
            case NOT_YET_VALID -> Cause.CERTIFICATE_NOT_YET_VALID;
            case HOSTNAME_MISMATCH -> Cause.CERTIFICATE_HOSTNAME_MISMATCH;
            case REVOKED -> Cause.CERTIFICATE_REVOKED;
        };
    }

    private static void chainFindings(Chain c, Severity severity, String prefix, List<Finding> out) {
        for (int i = 0; i < c.problems().size(); i++) {
            out.add(finding(Cause.valueOf(c.problems().get(i).toUpperCase(Locale.ROOT)), severity,
                    prefix + c.details().get(i)));
        }
    }

    private static String whose(Chain c) {
        return switch (c.kind()) {
            case NAME -> "with server_name '" + c.sni() + "': ";
            case NONE -> "without SNI: ";
            case UNKNOWN -> "with an unknown server_name: ";
        };
    }

    private static void expiry(Chain c, Severity severity, String prefix, List<Finding> out) {
        if (c.certificates().isEmpty() || c.problems().contains("certificate_expired")) {
            return;
        }
        for (ProbeReport.Certificate cert : c.certificates()) {
            if (cert.daysLeft() < EXPIRY_WARNING_DAYS) {
                out.add(finding(Cause.CERTIFICATE_EXPIRED, severity, prefix + cert.summary().role() + " "
                        + cert.summary().subject() + " expires in " + cert.daysLeft() + " day" + (cert.daysLeft() == 1 ? "" : "s")
                        + " (" + cert.summary().notAfter() + ")"));
                return;
            }
        }
    }

    private static void sniFindings(ProbeFacts facts, List<Chain> chains, Chain mainChain, List<Finding> out) {
        NameFacts none = facts.name(NameKind.NONE);
        NameFacts named = facts.name(NameKind.NAME);
        NameFacts unknown = facts.name(NameKind.UNKNOWN);
        if (named != null && named.accepted() && none != null && !none.accepted()) {
            out.add(finding(Cause.SNI_MISSING, Severity.WARNING, "the server refuses a ClientHello without server_name ("
                    + none.refusal() + "): clients that send no SNI cannot connect"));
        }
        Chain noneChain = chains.stream().filter(c -> c.kind() == NameKind.NONE).findFirst().orElse(null);
        if (named != null && noneChain != null && mainChain != null && !noneChain.certificates().isEmpty()) {
            List<String> extra = new ArrayList<>();
            List<String> extraDetails = new ArrayList<>();
            for (int i = 0; i < noneChain.problems().size(); i++) {
                if (!mainChain.problems().contains(noneChain.problems().get(i))) {
                    extra.add(noneChain.problems().get(i));
                    extraDetails.add(noneChain.details().get(i));
                }
            }
            String prefix = "clients without SNI only (they get " + noneChain.certificates().get(0).summary().subject() + "): ";
            chainFindings(new Chain(NameKind.NONE, null, noneChain.checkedName(), null, noneChain.certificates(), extra,
                    extraDetails, noneChain.complete(), noneChain.trusted(), noneChain.selfSigned(), noneChain.nameCovered()),
                    Severity.WARNING, prefix, out);
            if (!mainChain.certificates().isEmpty() && !leafFingerprint(mainChain).equals(leafFingerprint(noneChain))) {
                expiry(noneChain, Severity.WARNING, prefix, out);
            }
        }
        if (unknown != null && !unknown.accepted() && (named == null || named.accepted())) {
            out.add(finding(Cause.SNI_UNKNOWN, Severity.INFO, "the server refuses server_name '" + unknown.sni() + "' ("
                    + unknown.refusal() + "): names it has no certificate for are turned away, not served a default"));
        } else if (unknown != null && unknown.warning() == Alert.UNRECOGNIZED_NAME) {
            out.add(finding(Cause.SNI_UNKNOWN, Severity.INFO, "the server warns unrecognized_name (112) for server_name '"
                    + unknown.sni() + "' and serves its default certificate"));
        }
    }

    private static String leafFingerprint(Chain c) {
        return c.certificates().get(0).summary().sha256Fingerprint();
    }

    // ---------------------------------------------------------------- OCSP

    private static Staple staple(NameFacts n) {
        if (n.ocspResponse() == null) {
            return new Staple(false, n.ocspAsked(), null, null, null, null, null, null);
        }
        OcspStapleReader.Staple s = OcspStapleReader.read(n.ocspResponse(), n.chain());
        return new Staple(true, n.ocspAsked(), s.status(), s.thisUpdate(), s.nextUpdate(), s.revokedAt(), s.signatureValid(),
                s.detail());
    }

    // ---------------------------------------------------------------- policies

    /** @return every named policy: satisfied when the server accepts nothing outside it (versions, cipher suites) */
    static List<Policy> policies(ProbeFacts facts) {
        List<Policy> out = new ArrayList<>();
        boolean any = facts.versions().stream().anyMatch(VersionFacts::accepted);
        for (String name : NamedPolicies.names()) {
            TlsPolicy p = NamedPolicies.byName(name).orElseThrow();
            List<String> outside = new ArrayList<>();
            Set<Integer> suites = new LinkedHashSet<>();
            for (VersionFacts v : facts.versions()) {
                if (!v.accepted()) {
                    continue;
                }
                if (!p.versions().contains(v.version())) {
                    outside.add(TlsRegistry.versionName(v.version()));
                }
                for (int s : v.cipherSuites()) {
                    boolean ok = v.version() == 0x0304 ? p.tls13CipherSuites().contains(s) : p.cipherSuites().contains(s);
                    if (!ok) {
                        suites.add(s);
                    }
                }
            }
            suites.forEach(s -> outside.add(TlsRegistry.cipherSuiteName(s)));
            out.add(new Policy(name, any && outside.isEmpty(), outside));
        }
        return out;
    }

    /** @return the policy the server behaves as: every version, suite and TLS 1.3 group it accepted */
    static TlsPolicy served(ProbeFacts facts) {
        List<Integer> versions = new ArrayList<>();
        Set<Integer> legacy = new LinkedHashSet<>();
        List<Integer> tls13 = new ArrayList<>();
        Set<Integer> groups = new LinkedHashSet<>();
        Set<Integer> schemes = new LinkedHashSet<>();
        List<VersionFacts> descending = new ArrayList<>(facts.versions());
        descending.sort(Comparator.comparingInt(VersionFacts::version).reversed());
        for (VersionFacts v : descending) {
            if (!v.accepted()) {
                continue;
            }
            versions.add(v.version());
            if (v.version() == 0x0304) {
                tls13.addAll(v.cipherSuites());
            } else {
                legacy.addAll(v.cipherSuites());
            }
            groups.addAll(v.groups());
            schemes.addAll(v.signatureSchemes());
        }
        VersionFacts v13 = facts.version(0x0304);
        List<Integer> g = v13 != null && v13.accepted() && !v13.groups().isEmpty() ? v13.groups() : List.copyOf(groups);
        versions.sort(Integer::compare);
        return new TlsPolicy("as served", versions, List.copyOf(legacy), tls13, g, List.copyOf(schemes));
    }

    // ---------------------------------------------------------------- corpus clients

    /** Judges each corpus client against what the server accepted; fills {@code failing}; returns how many were judged. */
    private static int compatibility(ProbeFacts facts, KeyType leafKey, List<SimulatedClient> corpus, List<FailingClient> failing) {
        if (corpus.isEmpty()) {
            return 0;
        }
        TlsPolicy served = served(facts);
        NameFacts none = facts.name(NameKind.NONE);
        NameFacts named = facts.name(NameKind.NAME);
        boolean sniRequired = none != null && !none.accepted() && (named == null || named.accepted());
        List<SeenClient> clients = new ArrayList<>();
        List<SimulatedClient> judged = new ArrayList<>();
        for (SimulatedClient c : corpus) {
            try {
                ClientHello h = ClientHelloReader.read(c.handshakeBytes());
                clients.add(new SeenClient(Ja4.of(h), 1, h, c.name()));
                judged.add(c);
            } catch (MalformedHandshakeException e) {
                // not judgeable: left out
            }
        }
        // The accepted suites already say which key types the server can serve: a client is fine when either key
        // type finds a usable suite; a failure is reported for the leaf's key type.
        KeyType primary = leafKey == KeyType.RSA ? KeyType.RSA : KeyType.ECDSA;
        KeyType other = primary == KeyType.RSA ? KeyType.ECDSA : KeyType.RSA;
        CompatibilityReport first = CompatibilityReport.judge(clients, served, primary, 0);
        CompatibilityReport second = CompatibilityReport.judge(clients, served, other, 0);
        for (int i = 0; i < first.rows().size(); i++) {
            CompatibilityRow row = first.rows().get(i);
            CompatibilityRow alt = second.rows().get(i);
            SimulatedClient c = judged.get(i);
            String cause = null;
            String summary = null;
            if (!row.judgement().ok() && !alt.judgement().ok()) {
                cause = CompatibilityReport.causeCode(row.judgement().verdict());
                summary = row.judgement().summary().replace("policy 'as served'", "the server");
            } else if (sniRequired && row.client().representative().serverName() == null) {
                cause = Cause.SNI_MISSING.code();
                summary = "the client sends no server_name, which the server requires";
            }
            if (cause != null) {
                failing.add(new FailingClient(c.name(), cause, c.current(), c.highestProtocol() >= 0x0303, summary));
            }
        }
        return clients.size();
    }

    /**
     * One finding per cause: a warning when a current client that speaks TLS 1.2 or later would fail (a browser
     * or runtime people use today), information otherwise (legacy clients the server has chosen to leave behind).
     */
    private static void compatFindings(List<FailingClient> failing, int judged, List<Finding> out) {
        Map<String, List<FailingClient>> byCause = failing.stream()
                .collect(Collectors.groupingBy(FailingClient::cause, LinkedHashMap::new, Collectors.toList()));
        for (var e : byCause.entrySet()) {
            List<FailingClient> all = e.getValue();
            List<String> modern = all.stream().filter(c -> c.current() && c.tls12()).map(FailingClient::client).toList();
            String names = (modern.isEmpty() ? all.stream().map(FailingClient::client).toList() : modern).stream()
                    .limit(6).collect(Collectors.joining(", "));
            String summary = all.size() + " of " + judged + " clients of the testssl.sh corpus would fail with "
                    + e.getKey() + (modern.isEmpty() ? ", none of them a current TLS 1.2+ client (e.g. " + names
                    + (all.size() > 6 ? ", …" : "") + ")"
                    : ", " + modern.size() + " of them current TLS 1.2+ clients: " + names + (modern.size() > 6 ? ", …" : ""));
            out.add(finding(Cause.valueOf(e.getKey().toUpperCase(Locale.ROOT)), modern.isEmpty() ? Severity.INFO
                    : Severity.WARNING, summary));
        }
    }

    private static Finding finding(Cause cause, Severity severity, String summary) {
        return new Finding(cause.code(), severity, summary, FixHints.forCause(cause));
    }
}
