package io.tlslens.inspector.policy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Judges what a ClientHello offered against a policy and the certificate's key, as in DIAGNOSIS.md
 * step 4: a shared protocol version, then a cipher suite both accept that the certificate can serve,
 * then (TLS 1.3, RFC 8446 §4.2.7) a shared named group. Pure function, no I/O.
 */
public final class PolicyJudge {
    private PolicyJudge() {
    }

    private static final int MAX_LISTED = 3;

    /**
     * @param offeredVersions client's accepted versions ascending (GREASE removed; any left are ignored):
     *                        {@code supported_versions}, or the range up to ClientHello.legacy_version
     * @param offeredSuites   client's cipher suites in its order (may include GREASE/SCSVs)
     * @param offeredGroups   client's {@code supported_groups} (empty = not sent: the group check is skipped)
     * @param policy          the listener's (or backend's) policy
     * @param certificateKey  the key type of the certificate that would be served
     * @return the judgement; never null. The first working version from the highest down decides;
     *         {@code NO_SHARED_GROUP} only when TLS 1.3 had usable suites but no group and no lower
     *         shared version works
     */
    public static Judgement judge(List<Integer> offeredVersions, List<Integer> offeredSuites, List<Integer> offeredGroups,
                                  TlsPolicy policy, KeyType certificateKey) {
        List<Integer> versions = offeredVersions.stream().filter(v -> !Names.isGrease(v)).distinct().sorted()
                .collect(Collectors.toList());
        List<Integer> suites = offeredSuites.stream().filter(s -> !CipherSuites.isPlaceholder(s)).distinct()
                .collect(Collectors.toList());
        List<Integer> groups = offeredGroups.stream().filter(g -> !Names.isGrease(g)).distinct()
                .collect(Collectors.toList());

        List<Integer> sharedVersions = versions.stream().filter(policy.versions()::contains).collect(Collectors.toList());
        List<Integer> sharedGroups = groups.stream().filter(policy.groups()::contains).collect(Collectors.toList());
        String policyName = "policy '" + policy.name() + "'";

        if (sharedVersions.isEmpty()) {
            String summary = "client offered " + Names.versionRange(versions) + "; " + policyName + " accepts "
                    + Names.versionRange(ascending(policy.versions()));
            return new Judgement(Judgement.Verdict.PROTOCOL_VERSION_MISMATCH, sharedVersions, List.of(), sharedGroups, summary);
        }

        List<Integer> groupBlockedSuites = null;
        for (int i = sharedVersions.size() - 1; i >= 0; i--) {
            int version = sharedVersions.get(i);
            List<Integer> usable = usable(version, suites, policy, certificateKey);
            if (usable.isEmpty()) {
                continue;
            }
            if (version >= CipherSuites.TLS13 && !groups.isEmpty() && sharedGroups.isEmpty()) {
                groupBlockedSuites = usable;
                continue;
            }
            String summary = "client and " + policyName + " agree on " + Names.version(version) + " with "
                    + usable.size() + " usable cipher suite" + (usable.size() == 1 ? "" : "s") + " ("
                    + list(usable.stream().map(CipherSuites::displayName).collect(Collectors.toList())) + ")";
            return new Judgement(Judgement.Verdict.OK, sharedVersions, usable, sharedGroups, summary);
        }

        if (groupBlockedSuites != null) {
            String summary = "client offered groups (" + list(groups.stream().map(Names::group).collect(Collectors.toList()))
                    + ") for TLS 1.3, none of which " + policyName + " accepts ("
                    + policy.groups().stream().map(Names::group).collect(Collectors.joining(", ")) + ")";
            return new Judgement(Judgement.Verdict.NO_SHARED_GROUP, sharedVersions, groupBlockedSuites, sharedGroups, summary);
        }

        StringBuilder summary = new StringBuilder("client offered ").append(suites.size()).append(" cipher suite")
                .append(suites.size() == 1 ? "" : "s").append(" for ").append(Names.versionRange(sharedVersions));
        if (!suites.isEmpty()) {
            summary.append(" (").append(list(suites.stream().map(CipherSuites::displayName).collect(Collectors.toList())))
                    .append(")");
        }
        summary.append(", none of which ").append(policyName).append(" accepts for ").append(certificateLabel(certificateKey));
        for (KeyType other : List.of(KeyType.RSA, KeyType.ECDSA)) {
            if (other == certificateKey) {
                continue;
            }
            long fitOther = suites.stream()
                    .filter(s -> policy.cipherSuites().contains(s) && !CipherSuites.fitsKey(s, certificateKey)
                            && CipherSuites.fitsKey(s, other) && sharedVersions.stream().anyMatch(v -> v < CipherSuites.TLS13
                            && CipherSuites.minVersion(s) <= v))
                    .count();
            if (fitOther > 0) {
                summary.append(" (it would accept ").append(fitOther).append(" of them with ")
                        .append(certificateLabel(other)).append(")");
                break;
            }
        }
        return new Judgement(Judgement.Verdict.NO_SHARED_CIPHER, sharedVersions, List.of(), sharedGroups, summary.toString());
    }

    /** Suites offered, accepted by the policy and servable at that version with that key, in the client's order. */
    private static List<Integer> usable(int version, List<Integer> offered, TlsPolicy policy, KeyType key) {
        List<Integer> out = new ArrayList<>();
        for (int s : offered) {
            if (version >= CipherSuites.TLS13) {
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
