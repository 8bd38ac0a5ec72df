package io.tlslens.proxy.backend.probe;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/**
 * What {@link TlsProber} observed, before any judgement: the answers, as wire codes and certificates.
 *
 * @param target      {@code host:port} as given
 * @param serverName  the server_name sent in the enumeration probes, or null
 * @param notTls      the first bytes the server sent when they were not TLS (then nothing else was probed), else null
 * @param versions    SSL 3.0, TLS 1.0, 1.1, 1.2, 1.3 in that order (empty when not TLS)
 * @param names       the server's answer with the name, without SNI and with an unknown name
 * @param alpn        ALPN protocols probed, each with what the server did
 * @param connections probe connections made
 * @param peakConnections most probe connections open at the same time (never above the budget)
 * @param elapsed     wall time of the whole probe
 */
public record ProbeFacts(String target, String serverName, byte[] notTls, List<VersionFacts> versions,
                         List<NameFacts> names, List<AlpnFacts> alpn, int connections, int peakConnections,
                         Duration elapsed) {
    public ProbeFacts {
        versions = List.copyOf(versions);
        names = List.copyOf(names);
        alpn = List.copyOf(alpn);
    }

    /**
     * One protocol version.
     *
     * @param version          wire code (0x0300 … 0x0304)
     * @param cipherSuites     accepted cipher suites, in the server's order when {@code serverOrder}, else in the
     *                         order found; empty when the version was refused
     * @param serverOrder      true when the server picks by its own preference, false when by the client's, null
     *                         when it could not be told (fewer than two suites)
     * @param groups           named groups the server accepted at this version (TLS ≤ 1.2: ECDHE curves), in the
     *                         order probed
     * @param signatureSchemes signature schemes the server signed with when offered alone (TLS 1.2 and 1.3)
     * @param refusal          how the server answered the broadest offer of this version when it refused it, else null
     */
    public record VersionFacts(int version, List<Integer> cipherSuites, Boolean serverOrder, List<Integer> groups,
                               List<Integer> signatureSchemes, String refusal) {
        public VersionFacts {
            cipherSuites = List.copyOf(cipherSuites);
            groups = List.copyOf(groups);
            signatureSchemes = List.copyOf(signatureSchemes);
        }

        /** @return true when at least one cipher suite was accepted */
        public boolean accepted() {
            return !cipherSuites.isEmpty();
        }
    }

    /** Which server_name a {@link NameFacts} was asked with. */
    public enum NameKind {
        /** the target's name (--servername, or the host when it is a name) */
        NAME,
        /** no server_name extension */
        NONE,
        /** a name the server cannot know */
        UNKNOWN
    }

    /**
     * The server's answer to one server_name.
     *
     * @param kind         which name
     * @param sni          the server_name sent, or null
     * @param version      the version asked with (wire code)
     * @param accepted     true when the server answered with a ServerHello
     * @param refusal      the alert or other answer when it did not, else null
     * @param alertCode    the alert description code of the refusal, or -1
     * @param warning      a warning alert sent before the ServerHello (e.g. unrecognized_name), or -1
     * @param chain        the certificates served, leaf first; empty when refused or not learnt
     * @param ocspResponse the stapled OCSP response (DER), or null
     * @param ocspAsked    true when status_request was sent on the connection that learnt the chain
     */
    public record NameFacts(NameKind kind, String sni, int version, boolean accepted, String refusal, int alertCode,
                            int warning, List<X509Certificate> chain, byte[] ocspResponse, boolean ocspAsked) {
        public NameFacts {
            chain = chain == null ? List.of() : List.copyOf(chain);
        }
    }

    /**
     * One ALPN protocol offered alone.
     *
     * @param protocol  the protocol offered, e.g. {@code h2}
     * @param accepted  true when the server selected it
     * @param alertCode the alert the server answered with (120 no_application_protocol), or -1
     */
    public record AlpnFacts(String protocol, boolean accepted, int alertCode) {
    }

    /** @return the facts of one version */
    public VersionFacts version(int code) {
        return versions.stream().filter(v -> v.version() == code).findFirst().orElse(null);
    }

    /** @return the facts of one name kind, or null when it was not probed */
    public NameFacts name(NameKind kind) {
        return names.stream().filter(n -> n.kind() == kind).findFirst().orElse(null);
    }
}
