package io.tlslens.inspector.explain;

import io.tlslens.inspector.diagnosis.Cause;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The shipped catalogue: it parses, every entry is reachable by a text it is written for, and the texts the
 * field guide and the tickets quote map to the cause an engineer would check first. (Real clients' own output
 * is tested end to end in the proxy's ExplainIT.)
 */
class ExplainCatalogueTest {
    private static final ExplainCatalogue CATALOGUE = ExplainCatalogue.standard();

    private static Cause first(String text) {
        Explanation e = CATALOGUE.explain(text);
        assertThat(e.recognised()).as("recognised: %s", text).isTrue();
        return e.candidates().get(0).cause();
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiterString = "=>", textBlock = """
            ERR_SSL_VERSION_OR_CIPHER_MISMATCH                                                        => PROTOCOL_VERSION_MISMATCH
            NET::ERR_CERT_COMMON_NAME_INVALID                                                         => CERTIFICATE_HOSTNAME_MISMATCH
            NET::ERR_CERT_DATE_INVALID                                                                => CERTIFICATE_EXPIRED
            NET::ERR_CERT_AUTHORITY_INVALID                                                           => CERTIFICATE_UNTRUSTED
            ERR_CERT_REVOKED                                                                          => CERTIFICATE_REVOKED
            ERR_SSL_PROTOCOL_ERROR                                                                    => NOT_TLS
            ERR_BAD_SSL_CLIENT_AUTH_CERT                                                              => CLIENT_CERTIFICATE_REJECTED
            ERR_SSL_UNRECOGNIZED_NAME_ALERT                                                           => SNI_UNKNOWN
            Error code: SSL_ERROR_RX_RECORD_TOO_LONG                                                  => NOT_TLS
            Error code: SEC_ERROR_UNKNOWN_ISSUER                                                      => CERTIFICATE_CHAIN_INCOMPLETE
            Error code: SEC_ERROR_EXPIRED_CERTIFICATE                                                 => CERTIFICATE_EXPIRED
            Error code: MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT                                           => CERTIFICATE_UNTRUSTED
            Error code: SSL_ERROR_BAD_CERT_DOMAIN                                                     => CERTIFICATE_HOSTNAME_MISMATCH
            Error code: SSL_ERROR_NO_CYPHER_OVERLAP                                                   => NO_SHARED_CIPHER
            Error code: SSL_ERROR_UNSUPPORTED_VERSION                                                 => PROTOCOL_VERSION_MISMATCH
            Error code: SSL_ERROR_HANDSHAKE_FAILURE_ALERT                                             => NO_SHARED_CIPHER
            curl: (60) SSL certificate problem: unable to get local issuer certificate                => CERTIFICATE_CHAIN_INCOMPLETE
            curl: (60) SSL certificate problem: certificate has expired                               => CERTIFICATE_EXPIRED
            curl: (60) SSL certificate problem: self-signed certificate in certificate chain          => CERTIFICATE_UNTRUSTED
            curl: (60) SSL certificate problem: self signed certificate                               => CERTIFICATE_UNTRUSTED
            curl: (60) SSL certificate problem: certificate is not yet valid                          => CERTIFICATE_NOT_YET_VALID
            curl: (60) SSL: no alternative certificate subject name matches target host name 'a.example' => CERTIFICATE_HOSTNAME_MISMATCH
            curl: (35) error:14094410:SSL routines:ssl3_read_bytes:sslv3 alert handshake failure      => NO_SHARED_CIPHER
            curl: (35) OpenSSL/3.0.13: error:0A00042E:SSL routines::tlsv1 alert protocol version      => PROTOCOL_VERSION_MISMATCH
            curl: (35) error:1408F10B:SSL routines:ssl3_get_record:wrong version number               => NOT_TLS
            curl: (35) OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to a.example:443          => PEER_CLOSED
            curl: (56) OpenSSL SSL_read: error:0A000412:SSL routines::sslv3 alert bad certificate, errno 0 => CLIENT_CERTIFICATE_REJECTED
            curl: (56) OpenSSL SSL_read: error:0A00045C:SSL routines::tlsv13 alert certificate required, errno 0 => CLIENT_CERTIFICATE_MISSING
            error:14094410                                                                            => NO_SHARED_CIPHER
            error:0A000410                                                                            => NO_SHARED_CIPHER
            SSL alert number 40                                                                       => NO_SHARED_CIPHER
            SSL alert number 48                                                                       => CERTIFICATE_UNTRUSTED
            SSL alert number 70                                                                       => PROTOCOL_VERSION_MISMATCH
            alert 40                                                                                  => NO_SHARED_CIPHER
            alert 48                                                                                  => CERTIFICATE_UNTRUSTED
            42                                                                                        => CERTIFICATE_UNTRUSTED
            45                                                                                        => CERTIFICATE_EXPIRED
            112                                                                                       => SNI_UNKNOWN
            116                                                                                       => CLIENT_CERTIFICATE_MISSING
            120                                                                                       => ALPN_MISMATCH
            sslv3 alert handshake failure                                                             => NO_SHARED_CIPHER
            SSLV3_ALERT_HANDSHAKE_FAILURE                                                             => NO_SHARED_CIPHER
            tlsv1 alert protocol version                                                              => PROTOCOL_VERSION_MISMATCH
            tlsv1 alert unknown ca                                                                    => CERTIFICATE_UNTRUSTED
            tlsv1 unrecognized name                                                                   => SNI_UNKNOWN
            wrong version number                                                                      => NOT_TLS
            certificate verify failed                                                                 => CERTIFICATE_UNTRUSTED
            no peer certificate available                                                             => PROTOCOL_VERSION_MISMATCH
            verify error:num=20:unable to get local issuer certificate                                => CERTIFICATE_CHAIN_INCOMPLETE
            verify error:num=21:unable to verify the first certificate                                => CERTIFICATE_CHAIN_INCOMPLETE
            verify error:num=62:hostname mismatch                                                     => CERTIFICATE_HOSTNAME_MISMATCH
            javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target => CERTIFICATE_UNTRUSTED
            javax.net.ssl.SSLHandshakeException: PKIX path validation failed: java.security.cert.CertPathValidatorException: validity check failed => CERTIFICATE_EXPIRED
            javax.net.ssl.SSLHandshakeException: No appropriate protocol (protocol is disabled or cipher suites are inappropriate) => PROTOCOL_VERSION_MISMATCH
            javax.net.ssl.SSLHandshakeException: Received fatal alert: handshake_failure              => NO_SHARED_CIPHER
            javax.net.ssl.SSLHandshakeException: Received fatal alert: protocol_version               => PROTOCOL_VERSION_MISMATCH
            javax.net.ssl.SSLHandshakeException: No subject alternative DNS name matching a.example found. => CERTIFICATE_HOSTNAME_MISMATCH
            javax.net.ssl.SSLHandshakeException: Remote host terminated the handshake                 => PEER_CLOSED
            javax.net.ssl.SSLException: Unsupported or unrecognized SSL message                       => NOT_TLS
            Get "https://a.example/": x509: certificate signed by unknown authority                   => CERTIFICATE_UNTRUSTED
            Get "https://a.example/": x509: certificate has expired or is not yet valid: current time 2026-12-01T10:00:00Z is after 2025-02-01T00:00:00Z => CERTIFICATE_EXPIRED
            x509: certificate has expired or is not yet valid: current time 2024-01-01T10:00:00Z is before 2025-02-01T00:00:00Z => CERTIFICATE_NOT_YET_VALID
            x509: certificate is valid for other.example, not a.example                               => CERTIFICATE_HOSTNAME_MISMATCH
            remote error: tls: handshake failure                                                      => NO_SHARED_CIPHER
            remote error: tls: protocol version not supported                                         => PROTOCOL_VERSION_MISMATCH
            remote error: tls: bad certificate                                                        => CLIENT_CERTIFICATE_REJECTED
            http: TLS handshake error from 10.0.0.7:51234: remote error: tls: bad certificate          => CERTIFICATE_UNTRUSTED
            http: TLS handshake error from 10.0.0.7:51234: remote error: tls: unknown certificate authority => CERTIFICATE_UNTRUSTED
            http: TLS handshake error from 10.0.0.7:51234: tls: client offered only unsupported versions: [302 301] => PROTOCOL_VERSION_MISMATCH
            http: TLS handshake error from 10.0.0.7:51234: tls: first record does not look like a TLS handshake => NOT_TLS
            http: TLS handshake error from 10.0.0.7:51234: tls: no cipher suite supported by both client and server => NO_SHARED_CIPHER
            ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:1006) => CERTIFICATE_CHAIN_INCOMPLETE
            ssl.SSLError: [SSL: SSLV3_ALERT_HANDSHAKE_FAILURE] sslv3 alert handshake failure (_ssl.c:1006) => NO_SHARED_CIPHER
            [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed                                => CERTIFICATE_UNTRUSTED
            ssl.SSLEOFError: EOF occurred in violation of protocol (_ssl.c:1006)                      => PEER_CLOSED
            The remote certificate is invalid according to the validation procedure: RemoteCertificateNameMismatch => CERTIFICATE_HOSTNAME_MISMATCH
            The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot => CERTIFICATE_UNTRUSTED
            The remote certificate is invalid because of errors in the certificate chain: PartialChain => CERTIFICATE_CHAIN_INCOMPLETE
            The remote certificate is invalid because of errors in the certificate chain: NotTimeValid => CERTIFICATE_EXPIRED
            The remote certificate is invalid according to the validation procedure.                 => CERTIFICATE_UNTRUSTED
            System.Security.Authentication.AuthenticationException: Authentication failed, see inner exception. => NO_SHARED_CIPHER
            System.Security.Authentication.AuthenticationException: Authentication failed because the remote party has closed the transport stream. => PEER_CLOSED
            SSL_do_handshake() failed (SSL: error:0A000412:SSL routines::sslv3 alert bad certificate:SSL alert number 42) while SSL handshaking, client: 10.0.0.7, server: 0.0.0.0:443 => CERTIFICATE_UNTRUSTED
            SSL_do_handshake() failed (SSL: error:0A000415:SSL routines::sslv3 alert certificate expired:SSL alert number 45) while SSL handshaking, client: 10.0.0.7, server: 0.0.0.0:443 => CERTIFICATE_EXPIRED
            SSL_do_handshake() failed (SSL: error:0A0000C1:SSL routines::no shared cipher) while SSL handshaking, client: 10.0.0.7, server: 0.0.0.0:443 => NO_SHARED_CIPHER
            SSL_do_handshake() failed (SSL: error:0A000102:SSL routines::unsupported protocol) while SSL handshaking, client: 10.0.0.7, server: 0.0.0.0:443 => PROTOCOL_VERSION_MISMATCH
            SSL_do_handshake() failed (SSL: error:0A000076:SSL routines::no suitable signature algorithm) while SSL handshaking => NO_SHARED_GROUP
            SSL_do_handshake() failed (SSL: error:0A00010B:SSL routines::wrong version number) while SSL handshaking to upstream => NOT_TLS
            SSL_do_handshake() failed (SSL: error:0A000410:SSL routines::sslv3 alert handshake failure:SSL alert number 40) while SSL handshaking to upstream => NO_SHARED_CIPHER
            upstream SSL certificate verify error: (10:certificate has expired) while SSL handshaking to upstream => CERTIFICATE_EXPIRED
            upstream SSL certificate does not match "backend.internal" while SSL handshaking to upstream => CERTIFICATE_HOSTNAME_MISMATCH
            client SSL certificate verify error: (10:certificate has expired) while reading client request headers => CLIENT_CERTIFICATE_REJECTED
            client sent no required SSL certificate while reading client request headers              => CLIENT_CERTIFICATE_MISSING
            peer closed connection in SSL handshake while SSL handshaking, client: 10.0.0.7           => PEER_CLOSED
            connect() failed (111: Connection refused) while connecting to upstream                   => BACKEND_CONNECT_REFUSED
            upstream timed out (110: Connection timed out) while connecting to upstream               => BACKEND_CONNECT_TIMEOUT
            400 Bad Request: The plain HTTP request was sent to HTTPS port                            => PLAINTEXT_HTTP_TO_TLS_PORT
            https-in/1: SSL handshake failure                                                         => NO_SHARED_CIPHER
            https-in/1: SSL handshake failure (error:0A000102:SSL routines::unsupported protocol)     => PROTOCOL_VERSION_MISMATCH
            https-in/1: Connection closed during SSL handshake                                        => PEER_CLOSED
            https-in/1: Timeout during SSL handshake                                                  => HANDSHAKE_TIMEOUT
            https-in/1: SSL client certificate not trusted                                            => CLIENT_CERTIFICATE_REJECTED
            upstream connect error or disconnect/reset before headers. reset reason: connection failure, transport failure reason: TLS_error:|268435581:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:TLS_error_end => CERTIFICATE_UNTRUSTED
            transport failure reason: TLS_error:|268436496:SSL routines:OPENSSL_internal:SSLV3_ALERT_HANDSHAKE_FAILURE:TLS_error_end => NO_SHARED_CIPHER
            transport failure reason: TLS_error:|268435703:SSL routines:OPENSSL_internal:WRONG_VERSION_NUMBER:TLS_error_end => NOT_TLS
            TLS error: 268436501:SSL routines:OPENSSL_internal:SSLV3_ALERT_CERTIFICATE_EXPIRED        => CERTIFICATE_EXPIRED
            *** Fatal error: The TLS connection was non-properly terminated.                          => PEER_CLOSED
            *** Fatal error: Error in the certificate.                                                => CERTIFICATE_UNTRUSTED
            - Status: The certificate is NOT trusted. The certificate chain uses expired certificate.  => CERTIFICATE_EXPIRED
            - Status: The certificate is NOT trusted. The name in the certificate does not match the expected. => CERTIFICATE_HOSTNAME_MISMATCH
            *** Received alert [70]: Error in protocol version                                        => PROTOCOL_VERSION_MISMATCH
            *** Received alert [40]: Handshake failed                                                 => NO_SHARED_CIPHER
            *** Fatal error: An unexpected TLS packet was received.                                   => NOT_TLS
            * TLSv1.3 (IN), TLS alert, unknown CA (560):                                              => CERTIFICATE_UNTRUSTED
            error:0A000460:SSL routines:ssl3_read_bytes:tlsv1 alert no application protocol:../ssl/record/rec_layer_s3.c:1601:SSL alert number 120 => ALPN_MISMATCH
            error:0A0000EB:SSL routines:tls_handle_alpn:no application protocol                      => ALPN_MISMATCH
            remote error: tls: no application protocol                                                => ALPN_MISMATCH
            """)
    void ticketTextsMapToTheCauseToCheckFirst(String text, Cause expected) {
        assertThat(first(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "it does not work", "HTTP 500 Internal Server Error", "7", "300", "alert 7",
            "NullPointerException at com.example.Foo.bar(Foo.java:42)"})
    void textItDoesNotKnowIsUnrecognisedNotGuessed(String text) {
        Explanation e = CATALOGUE.explain(text);
        assertThat(e.recognised()).isFalse();
        assertThat(e.candidates()).isEmpty();
        assertThat(e.matched()).isEmpty();
    }

    @Test
    void alertsAreNamedFromTheIanaRegistryInEverySpelling() {
        assertThat(AlertMentions.find("SSL alert number 40", java.util.Map.of())).containsExactly(40);
        assertThat(AlertMentions.find("Received alert [70]: Error in protocol version", java.util.Map.of())).containsExactly(70);
        assertThat(AlertMentions.find("Received fatal alert: certificate_unknown", java.util.Map.of())).containsExactly(46);
        assertThat(AlertMentions.find("[SSL: TLSV1_ALERT_UNKNOWN_CA] tlsv1 alert unknown ca", java.util.Map.of())).containsExactly(48);
        assertThat(AlertMentions.find("error:14094410:SSL routines", java.util.Map.of())).contains(40);
        assertThat(AlertMentions.find("TLS_error:|268436502:SSL routines:OPENSSL_internal:X", java.util.Map.of())).containsExactly(46);
        assertThat(AlertMentions.find("remote error: tls: unknown certificate authority",
                java.util.Map.of("unknown certificate authority", 48))).containsExactly(48);
        assertThat(AlertMentions.find("48", java.util.Map.of())).containsExactly(48);
        assertThat(AlertMentions.find("7", java.util.Map.of())).isEmpty();
    }

    @Test
    void theAlertTheTextNamesIsQuotedInTheExplanation() {
        Explanation e = CATALOGUE.explain("alert 49");
        assertThat(e.means()).contains("access_denied (49)");
        Explanation other = CATALOGUE.explain("alert 121");
        assertThat(other.candidates()).extracting(Candidate::cause).containsExactly(Cause.PEER_ALERT);
        assertThat(other.candidates().get(0).why()).contains("ech_required (121)");
    }

    @Test
    void everyCandidateHasAWhyAndACheckingCommand() {
        assertThat(CATALOGUE.size()).isGreaterThan(30);
        for (String title : CATALOGUE.titles()) {
            assertThat(title).isNotBlank();
        }
        Explanation e = CATALOGUE.explain("ERR_SSL_VERSION_OR_CIPHER_MISMATCH");
        assertThat(e.candidates()).extracting(Candidate::cause).startsWith(Cause.PROTOCOL_VERSION_MISMATCH, Cause.NO_SHARED_CIPHER);
        assertThat(e.candidates()).allSatisfy(c -> {
            assertThat(c.why()).isNotBlank();
            assertThat(c.checks()).isNotEmpty().allSatisfy(cmd -> assertThat(cmd).containsAnyOf("openssl", "tlslens probe", "nmap", "curl"));
        });
    }

    @Test
    void theFirstMatchingEntryWinsSoSpecificReasonsBeatTheirWrappers() {
        Explanation e = CATALOGUE.explain("curl: (60) SSL certificate problem: certificate has expired\nMore details here");
        assertThat(e.matched()).isEqualTo("certificate expired");
        assertThat(CATALOGUE.explain("certificate verify failed").matched()).startsWith("certificate verify failed");
    }

    @Test
    void aBrokenCatalogueIsRefusedNamingTheLine() {
        assertThatThrownBy(() -> ExplainCatalogue.parse("entry: x\nmatch: y\nmeans: z\ncause: no_such_cause\n", "t"))
                .hasMessageContaining("t:4").hasMessageContaining("no_such_cause");
        assertThatThrownBy(() -> ExplainCatalogue.parse("entry: x\nmatch: (\nmeans: z\n", "t"))
                .hasMessageContaining("t:2").hasMessageContaining("regular expression");
        assertThatThrownBy(() -> ExplainCatalogue.parse("entry: x\nmatch: y\nmeans: z\ncause: not_tls\nwhy: w\n", "t"))
                .hasMessageContaining("needs a 'why' and at least one 'check'");
        assertThatThrownBy(() -> ExplainCatalogue.parse("entry: x\nalert: no_such_alert\n", "t"))
                .hasMessageContaining("t:2").hasMessageContaining("no_such_alert");
        assertThatThrownBy(() -> ExplainCatalogue.parse("entry: x\nmatch: y\ncause: not_tls\nwhy: w\ncheck: c\n", "t"))
                .hasMessageContaining("needs a 'means'");
    }

    @Test
    void continuationLinesJoinTheirValue() {
        ExplainCatalogue c = ExplainCatalogue.parse("""
                entry: x
                match: hello
                means: one
                  two
                cause: not_tls
                why: w
                check: c
                """, "t");
        assertThat(c.explain("hello").means()).isEqualTo("one two");
    }
}
