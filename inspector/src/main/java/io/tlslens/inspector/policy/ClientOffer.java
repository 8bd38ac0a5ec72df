package io.tlslens.inspector.policy;

import io.tlslens.inspector.wire.ClientHello;

import java.util.List;

/**
 * What a ClientHello offered, as {@link PolicyJudge} needs it. A list that is {@code null} is not known
 * (a caller that has only versions and cipher suites): the checks that need it are skipped. An empty list
 * means the client did not send the extension.
 *
 * @param versions         accepted versions (GREASE is ignored): {@code supported_versions}, or the range up to
 *                         legacy_version ({@link ClientHello#offeredVersions()})
 * @param cipherSuites     cipher suites in the client's order (GREASE and SCSVs are ignored)
 * @param groups           {@code supported_groups}, or null when not known
 * @param keyShareGroups   the groups of the {@code key_share} entries (TLS 1.3), or null when not known
 * @param signatureSchemes {@code signature_algorithms}, or null when not known
 * @param alpn             the ALPN protocol IDs offered; empty when none (then ALPN is not negotiated)
 */
public record ClientOffer(List<Integer> versions, List<Integer> cipherSuites, List<Integer> groups,
                          List<Integer> keyShareGroups, List<Integer> signatureSchemes, List<String> alpn) {
    /** Copies the lists; {@code versions} and {@code cipherSuites} are required, a null {@code alpn} is empty. */
    public ClientOffer {
        versions = List.copyOf(versions);
        cipherSuites = List.copyOf(cipherSuites);
        groups = groups == null ? null : List.copyOf(groups);
        keyShareGroups = keyShareGroups == null ? null : List.copyOf(keyShareGroups);
        signatureSchemes = signatureSchemes == null ? null : List.copyOf(signatureSchemes);
        alpn = alpn == null ? List.of() : List.copyOf(alpn);
    }

    /**
     * @param hello a decoded ClientHello
     * @return everything it offered; every list known
     */
    public static ClientOffer of(ClientHello hello) {
        return new ClientOffer(hello.offeredVersions(), hello.cipherSuites(), hello.supportedGroups(),
                hello.keyShareGroups(), hello.signatureSchemes(), hello.alpn());
    }

    /**
     * @param versions     accepted versions
     * @param cipherSuites cipher suites
     * @param groups       {@code supported_groups}; empty = not known (the group checks are skipped)
     * @return an offer whose key shares, signature schemes and ALPN are not known
     */
    public static ClientOffer partial(List<Integer> versions, List<Integer> cipherSuites, List<Integer> groups) {
        return new ClientOffer(versions, cipherSuites, groups == null || groups.isEmpty() ? null : groups, null, null,
                List.of());
    }
}
