package io.tlslens.inspector.policy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Judges what a ClientHello offered against a policy, the certificate's key and the listener's ALPN list,
 * as in docs/diagnosis.md step 4 and as the BoringSSL engine negotiates: the highest version both accept is
 * chosen (there is no fallback to a lower one when a later check fails); then a cipher suite both accept
 * that the certificate can serve; then a named group (TLS 1.3: {@code supported_groups}, the listener's
 * most preferred one the client supports, a HelloRetryRequest when the client sent no key share for it;
 * TLS 1.2: ECDHE needs an elliptic curve both list, and an ECDSA certificate's curve must be in the
 * client's list) and a signature scheme the key can make that the client accepts; then ALPN. Pure
 * function, no I/O.
 */
public final class PolicyJudge {
    private PolicyJudge() {
    }

    private static final int MAX_LISTED = 3;
    private static final int TLS12 = CipherSuites.TLS12;
    private static final int TLS13 = CipherSuites.TLS13;

    /**
     * Versions, cipher suites and (when given) groups only: key shares, signature schemes and ALPN are not
     * judged, and the certificate's curve is not known.
     *
     * @param offeredVersions client's accepted versions (GREASE is ignored)
     * @param offeredSuites   client's cipher suites in its order (may include GREASE/SCSVs)
     * @param offeredGroups   client's {@code supported_groups} (empty = not known: the group checks are skipped)
     * @param policy          the listener's (or backend's) policy
     * @param certificateKey  the key type of the certificate that would be served
     * @return the judgement, its summary naming {@code policy 'NAME'}; never null
     */
    public static Judgement judge(List<Integer> offeredVersions, List<Integer> offeredSuites, List<Integer> offeredGroups,
                                  TlsPolicy policy, KeyType certificateKey) {
        return judge(ClientOffer.partial(offeredVersions, offeredSuites, offeredGroups), policy,
                new CertificateKey(certificateKey, 0, 0), List.of(), "policy '" + policy.name() + "'");
    }

    /**
     * @param offer  what the client offered
     * @param policy the listener's policy as the engine serves it ({@link TlsPolicy#groups()} in the engine's
     *               order of preference)
     * @param key    the key of the certificate that would be served
     * @param alpn   the listener's ALPN protocol IDs in its order of preference; empty = no ALPN
     * @param server how the summary names the server side, e.g. {@code listener 'web'}
     * @return the judgement; never null
     */
    public static Judgement judge(ClientOffer offer, TlsPolicy policy, CertificateKey key, List<String> alpn,
                                  String server) {
        List<Integer> versions = offer.versions().stream().filter(v -> !Names.isGrease(v)).distinct().sorted()
                .collect(Collectors.toList());
        List<Integer> suites = offer.cipherSuites().stream().filter(s -> !CipherSuites.isPlaceholder(s)).distinct()
                .collect(Collectors.toList());
        List<Integer> groups = known(offer.groups());
        List<Integer> shares = known(offer.keyShareGroups());
        List<Integer> sigs = known(offer.signatureSchemes());

        List<Integer> sharedVersions = versions.stream().filter(policy.versions()::contains).collect(Collectors.toList());
        List<Integer> sharedGroups = groups == null ? List.of()
                : groups.stream().filter(policy.groups()::contains).collect(Collectors.toList());

        if (sharedVersions.isEmpty()) {
            String summary = "client offered " + Names.versionRange(versions) + "; " + server + " accepts "
                    + Names.versionRange(ascending(policy.versions()));
            return new Judgement(Judgement.Verdict.PROTOCOL_VERSION_MISMATCH, sharedVersions, List.of(), sharedGroups,
                    0, 0, false, 0, null, summary);
        }

        int version = sharedVersions.get(sharedVersions.size() - 1);
        List<Integer> usable = usable(version, suites, policy, key.type());
        if (usable.isEmpty()) {
            return new Judgement(Judgement.Verdict.NO_SHARED_CIPHER, sharedVersions, List.of(), sharedGroups, version,
                    0, false, 0, null, noSharedCipher(version, sharedVersions, suites, policy, key.type(), server));
        }

        int group = 0;
        boolean helloRetry = false;
        boolean signs;
        if (version >= TLS13) {
            if (groups != null) {
                List<Integer> shared = policy.groups().stream().filter(groups::contains).toList();
                if (shared.isEmpty()) {
                    return fail(Judgement.Verdict.NO_SHARED_GROUP, sharedVersions, usable, sharedGroups, version,
                            groupsSummary(groups, policy.groups(), server, ""));
                }
                group = shared.get(0);
                helloRetry = shares != null && !shares.contains(group);
            }
            signs = true;
        } else {
            if (key.type() == KeyType.ECDSA && key.curve() != 0 && groups != null && !groups.contains(key.curve())) {
                String offered = groups.isEmpty() ? "client sent no supported_groups" : "client offers groups "
                        + Names.groups(groups);
                return fail(Judgement.Verdict.NO_SHARED_GROUP, sharedVersions, usable, sharedGroups, version, offered
                        + " for " + Names.version(version) + ", not " + Names.group(key.curve())
                        + ", the curve of the certificate (" + key.label() + "), which a TLS 1.2 client must list");
            }
            List<Integer> ecGroups = policy.groups().stream().filter(g -> !Names.isPostQuantum(g)).toList();
            List<Integer> ecShared = groups == null ? null : ecGroups.stream().filter(groups::contains).toList();
            List<Integer> withGroup = usable.stream()
                    .filter(s -> !CipherSuites.isEcdhe(s) || ecShared == null || !ecShared.isEmpty()).toList();
            if (withGroup.isEmpty()) {
                return fail(Judgement.Verdict.NO_SHARED_GROUP, sharedVersions, usable, sharedGroups, version,
                        groupsSummary(groups, ecGroups, server, " for " + Names.version(version) + " ECDHE"));
            }
            usable = withGroup;
            int chosen = policy.cipherSuites().stream().filter(usable::contains).findFirst().orElse(usable.get(0));
            if (CipherSuites.isEcdhe(chosen) && ecShared != null) {
                group = ecShared.get(0);
            }
            signs = version >= TLS12 && (CipherSuites.isEcdhe(chosen) || CipherSuites.isDhe(chosen));
        }

        int scheme = 0;
        if (signs && sigs != null && key.type() != KeyType.OTHER) {
            List<Integer> canSign = key.signatureSchemes(version);
            if (!policy.signatureSchemes().isEmpty()) {
                canSign = canSign.stream().filter(policy.signatureSchemes()::contains).toList();
            }
            List<Integer> accepted = sigs.isEmpty() && version < TLS13
                    ? List.of(CertificateKey.RSA_PKCS1_SHA1, CertificateKey.ECDSA_SHA1) : sigs;
            scheme = canSign.stream().filter(accepted::contains).findFirst().orElse(0);
            if (scheme == 0) {
                return fail(Judgement.Verdict.NO_SHARED_GROUP, sharedVersions, usable, sharedGroups, version,
                        signatureSummary(sigs, canSign, key, version));
            }
        }

        String selected = null;
        if (!alpn.isEmpty() && !offer.alpn().isEmpty()) {
            selected = alpn.stream().filter(offer.alpn()::contains).findFirst().orElse(null);
            if (selected == null) {
                return new Judgement(Judgement.Verdict.ALPN_MISMATCH, sharedVersions, usable, sharedGroups, version,
                        group, helloRetry, scheme, null, "client offers ALPN " + Names.alpn(offer.alpn()) + "; "
                        + server + " accepts " + Names.alpn(alpn));
            }
        }

        StringBuilder summary = new StringBuilder("client and ").append(server).append(" agree on ")
                .append(Names.version(version)).append(" with ").append(usable.size()).append(" usable cipher suite")
                .append(usable.size() == 1 ? "" : "s").append(" (")
                .append(list(usable.stream().map(CipherSuites::displayName).collect(Collectors.toList()))).append(")");
        if (group != 0) {
            summary.append(", group ").append(Names.group(group));
            if (helloRetry) {
                summary.append(" after a HelloRetryRequest");
            }
        }
        if (scheme != 0) {
            summary.append(", signature scheme ").append(Names.signatureScheme(scheme));
        }
        if (selected != null) {
            summary.append(", ALPN ").append(selected);
        }
        return new Judgement(Judgement.Verdict.OK, sharedVersions, usable, sharedGroups, version, group, helloRetry,
                scheme, selected, summary.toString());
    }

    private static Judgement fail(Judgement.Verdict verdict, List<Integer> sharedVersions, List<Integer> usable,
                                  List<Integer> sharedGroups, int version, String summary) {
        return new Judgement(verdict, sharedVersions, usable, sharedGroups, version, 0, false, 0, null, summary);
    }

    private static List<Integer> known(List<Integer> codes) {
        return codes == null ? null : codes.stream().filter(c -> !Names.isGrease(c)).distinct().collect(Collectors.toList());
    }

    /** "client offers groups ffdhe2048; listener 'web' accepts x25519, secp256r1, secp384r1". */
    private static String groupsSummary(List<Integer> groups, List<Integer> accepted, String server, String purpose) {
        String offered = groups == null || groups.isEmpty() ? "client offers no groups (no supported_groups)"
                : "client offers groups " + Names.groups(groups);
        return offered + "; " + server + " accepts " + (accepted.isEmpty() ? "none" : Names.groups(accepted)) + purpose;
    }

    /**
     * "client offers only RSA signature schemes; the certificate is ECDSA P-256", or the lists on both sides
     * when the client's schemes are of several kinds.
     */
    private static String signatureSummary(List<Integer> sigs, List<Integer> canSign, CertificateKey key, int version) {
        String cert = "the certificate is " + key.label();
        if (sigs.isEmpty()) {
            return "client sent no signature_algorithms, which " + Names.version(version) + " requires; " + cert;
        }
        LinkedHashSet<String> families = new LinkedHashSet<>();
        sigs.forEach(s -> families.add(CertificateKey.family(s)));
        if (families.size() == 1 && !families.contains("other") && !families.contains(key.familyName())) {
            return "client offers only " + families.iterator().next() + " signature schemes; " + cert;
        }
        if (version >= TLS13 && key.type() == KeyType.RSA && sigs.stream().allMatch(CertificateKey::isPkcs1)) {
            return "client offers only RSA PKCS#1 signature schemes, which TLS 1.3 does not allow in the handshake; "
                    + cert + " (it signs with RSA-PSS in TLS 1.3)";
        }
        return "client offers signature schemes " + list(sigs.stream().map(Names::signatureScheme).toList()) + " for "
                + Names.version(version) + "; " + cert + ", which signs with "
                + (canSign.isEmpty() ? "none of them" : String.join(", ", canSign.stream().map(Names::signatureScheme).toList()));
    }

    private static String noSharedCipher(int version, List<Integer> sharedVersions, List<Integer> suites, TlsPolicy policy,
                                         KeyType certificateKey, String server) {
        if (version >= TLS13) {
            List<Integer> tls13 = suites.stream().filter(CipherSuites::isTls13).toList();
            if (tls13.isEmpty()) {
                return "client offers " + Names.versionRange(sharedVersions) + " but no TLS 1.3 cipher suite; " + server
                        + " negotiates TLS 1.3 and does not fall back to a lower version";
            }
            return "client offered " + tls13.size() + " TLS 1.3 cipher suite" + (tls13.size() == 1 ? "" : "s") + " ("
                    + list(tls13.stream().map(CipherSuites::displayName).collect(Collectors.toList())) + "), none of which "
                    + server + " accepts";
        }
        StringBuilder summary = new StringBuilder("client offered ").append(suites.size()).append(" cipher suite")
                .append(suites.size() == 1 ? "" : "s").append(" for ").append(Names.versionRange(sharedVersions));
        if (!suites.isEmpty()) {
            summary.append(" (").append(list(suites.stream().map(CipherSuites::displayName).collect(Collectors.toList())))
                    .append(")");
        }
        summary.append(", none of which ").append(server).append(" accepts for ").append(certificateLabel(certificateKey));
        for (KeyType other : List.of(KeyType.RSA, KeyType.ECDSA)) {
            if (other == certificateKey) {
                continue;
            }
            long fitOther = suites.stream()
                    .filter(s -> policy.cipherSuites().contains(s) && !CipherSuites.fitsKey(s, certificateKey)
                            && CipherSuites.fitsKey(s, other) && sharedVersions.stream().anyMatch(v -> v < TLS13
                            && CipherSuites.minVersion(s) <= v))
                    .count();
            if (fitOther > 0) {
                summary.append(" (it would accept ").append(fitOther).append(" of them with ")
                        .append(certificateLabel(other)).append(")");
                break;
            }
        }
        return summary.toString();
    }

    /** Suites offered, accepted by the policy and servable at that version with that key, in the client's order. */
    private static List<Integer> usable(int version, List<Integer> offered, TlsPolicy policy, KeyType key) {
        List<Integer> out = new ArrayList<>();
        for (int s : offered) {
            if (version >= TLS13) {
                if (policy.tls13CipherSuites().contains(s) && CipherSuites.isTls13(s)) {
                    out.add(s);
                }
            } else if (policy.cipherSuites().contains(s) && !CipherSuites.isTls13(s)
                    && CipherSuites.fitsKey(s, key) && CipherSuites.minVersion(s) <= version) {
                out.add(s);
            }
        }
        return out;
    }

    private static List<Integer> ascending(List<Integer> versions) {
        return new ArrayList<>(new LinkedHashSet<>(versions)).stream().sorted().collect(Collectors.toList());
    }

    private static String list(List<String> names) {
        if (names.size() <= MAX_LISTED) {
            return String.join(", ", names);
        }
        return String.join(", ", names.subList(0, MAX_LISTED)) + ", …";
    }

    private static String certificateLabel(KeyType key) {
        return switch (key) {
            case RSA -> "an RSA certificate";
            case ECDSA -> "an ECDSA certificate";
            case EDDSA -> "an EdDSA certificate";
            case OTHER -> "a certificate of this key type";
        };
    }
}
