package io.tlslens.inspector.diagnosis;

import java.util.List;
import java.util.Map;

import static java.util.Map.entry;

/**
 * Fix hints per cause, naming the knobs of the platforms on-call engineers run: nginx, HAProxy,
 * AWS ALB security policies, Kubernetes ingress-nginx, and tlslens' own keys
 * (the field guide in shared/seed).
 */
public final class FixHints {
    private static final Map<Cause, List<String>> HINTS = Map.ofEntries(
            entry(Cause.PROTOCOL_VERSION_MISMATCH, List.of(
                    "Upgrade the client (TLS 1.2 is the floor for current servers), or widen the server's versions only if that client cannot change",
                    "tlslens: tls.protocols / tls.policy (old allows TLS 1.0–1.1)",
                    "nginx: ssl_protocols TLSv1.2 TLSv1.3;",
                    "HAProxy: ssl-default-bind-options ssl-min-ver TLSv1.2",
                    "AWS ALB: a security policy whose protocols include the client's, e.g. ELBSecurityPolicy-FS-1-1-2019-08 for TLS 1.1 clients",
                    "Kubernetes ingress-nginx: ConfigMap ssl-protocols",
                    "check: openssl s_client -connect HOST:PORT -tls1_2 (and -tls1_1, -tls1_3)")),
            entry(Cause.NO_SHARED_CIPHER, List.of(
                    "Add a cipher suite the client offers to the server's list (matching the certificate's key type: ECDHE-ECDSA-* for ECDSA, ECDHE-RSA-* for RSA)",
                    "tlslens: tls.cipher-suites / tls.policy",
                    "nginx: ssl_ciphers 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:...';",
                    "HAProxy: ssl-default-bind-ciphers",
                    "AWS ALB: choose an ELBSecurityPolicy-* whose ciphers overlap the client's (aws elbv2 describe-ssl-policies)",
                    "Kubernetes ingress-nginx: ConfigMap ssl-ciphers",
                    "check: openssl s_client -connect HOST:PORT -cipher 'ECDHE-RSA-AES128-GCM-SHA256'; nmap --script ssl-enum-ciphers -p PORT HOST")),
            entry(Cause.NO_SHARED_GROUP, List.of(
                    "Key exchange: offer a common group on both sides (x25519 and secp256r1 reach nearly every client); BoringSSL has no ffdhe groups, so a client limited to them must add an elliptic curve",
                    "Signature: serve a certificate whose key the client can verify (clients offering only RSA signature schemes need an RSA certificate; TLS 1.3 needs RSA-PSS for RSA keys)",
                    "tlslens: the groups come from tls.policy (modern and intermediate: X25519MLKEM768, x25519, secp256r1, secp384r1; the others without X25519MLKEM768)",
                    "nginx: ssl_ecdh_curve X25519:prime256v1:secp384r1; (and ssl_certificate for an ECDSA plus an RSA certificate)",
                    "HAProxy: ssl-default-bind-curves X25519:P-256:P-384 and ssl-default-bind-sigalgs; two crt lines (ECDSA and RSA) on the bind",
                    "AWS ALB: the security policy fixes the groups; ACM can hold an RSA and an ECDSA certificate for the same name",
                    "Kubernetes ingress-nginx: ConfigMap ssl-ecdh-curve",
                    "check: openssl s_client -connect HOST:PORT -groups X25519:P-256 -sigalgs 'ECDSA+SHA256:RSA-PSS+SHA256'")),
            entry(Cause.ALPN_MISMATCH, List.of(
                    "Offer an application protocol the client asks for (both lists are in the summary), or remove tls.alpn so that none is negotiated",
                    "tlslens: tls.alpn = [\"h2\", \"http/1.1\"] (the backend must then speak what was negotiated: h2 means HTTP/2 to the backend too)",
                    "nginx: listen 443 ssl http2; (nginx 1.25.1 and later: http2 on;) offers h2 besides http/1.1",
                    "HAProxy: bind :443 ssl crt site.pem alpn h2,http/1.1",
                    "AWS ALB: HTTPS listeners offer h2 and http/1.1 (the target group's protocol version decides what reaches the targets); NLB TLS listeners: an ALPN policy such as HTTP2Preferred",
                    "Kubernetes ingress-nginx: ConfigMap use-http2 (default true)",
                    "check: openssl s_client -connect HOST:PORT -alpn h2,http/1.1 (look for 'ALPN protocol:')")),
            entry(Cause.SNI_MISSING, List.of(
                    "The client must send server_name: use the host name, not the IP (curl https://name/ or openssl s_client -servername name)",
                    "tlslens: tls.require-sni = false serves the default certificate to clients without SNI",
                    "Legacy clients without SNI need a dedicated IP/listener with a single certificate")),
            entry(Cause.SNI_UNKNOWN, List.of(
                    "Add a certificate covering that name, or route it to a default",
                    "nginx: a server block with server_name for it, or a default_server",
                    "AWS ALB: aws elbv2 describe-listener-certificates; add the certificate to the listener")),
            entry(Cause.CERTIFICATE_EXPIRED, List.of(
                    "Renew the certificate (and any expired intermediate) and reload",
                    "check: openssl x509 -noout -dates -in CERT",
                    "AWS ACM: aws acm describe-certificate (Status must be ISSUED); re-import renewed imported certificates",
                    "Kubernetes: check the cert-manager Certificate and the TLS Secret it renews",
                    "Alert on tlslens_certificate_expiry_timestamp_seconds 30 days ahead")),
            entry(Cause.CERTIFICATE_NOT_YET_VALID, List.of(
                    "The certificate's notBefore is in the future: check the issuing clock and this host's clock (NTP)",
                    "check: openssl x509 -noout -dates -in CERT; date -u")),
            entry(Cause.CERTIFICATE_HOSTNAME_MISMATCH, List.of(
                    "Serve a certificate whose subjectAltName covers the requested name (wildcards cover one left-most label only)",
                    "check: openssl x509 -noout -ext subjectAltName -in CERT",
                    "nginx: the server block for that server_name must use the right ssl_certificate",
                    "AWS ALB: attach the certificate for that name to the listener (SNI picks it)")),
            entry(Cause.CERTIFICATE_CHAIN_INCOMPLETE, List.of(
                    "Serve the leaf followed by its intermediate(s), in order: cat server.crt intermediate.crt > bundle.crt",
                    "check: openssl s_client -connect HOST:PORT -showcerts; openssl verify -untrusted intermediate.crt server.crt",
                    "nginx: ssl_certificate must point to the bundle (leaf first, then intermediates)",
                    "HAProxy: the crt PEM must hold cert, key and intermediates: cat server.crt private.key intermediate.crt > haproxy.pem",
                    "AWS ACM: aws acm import-certificate --certificate-chain fileb://intermediate.crt",
                    "Kubernetes: the TLS Secret's tls.crt must contain the full chain")),
            entry(Cause.CERTIFICATE_UNTRUSTED, List.of(
                    "Use a certificate from a CA the clients trust, or install the private root on the clients",
                    "check: openssl verify -CAfile ca-bundle.crt server.crt",
                    "curl: --cacert root.pem for a private CA",
                    "Backends: nginx proxy_ssl_trusted_certificate; HAProxy verify required ca-file")),
            entry(Cause.CERTIFICATE_REVOKED, List.of(
                    "The certificate was revoked: issue and deploy a new one",
                    "check: openssl ocsp -issuer intermediate.crt -cert server.crt -url OCSP_URL")),
            entry(Cause.CLIENT_CERTIFICATE_MISSING, List.of(
                    "The client must present a certificate (curl --cert client.pem --key client.key; openssl s_client -cert -key)",
                    "tlslens: tls.client-auth = optional to accept clients without one",
                    "nginx: ssl_verify_client optional;")),
            entry(Cause.CLIENT_CERTIFICATE_REJECTED, List.of(
                    "Issue the client a certificate from the configured client CA, valid now, with clientAuth extended key usage",
                    "tlslens: tls.client-ca must contain the issuing CA",
                    "nginx: ssl_client_certificate; HAProxy: ca-file on the bind line")),
            entry(Cause.PLAINTEXT_HTTP_TO_TLS_PORT, List.of(
                    "The client must use https:// for this port, or send plain HTTP to the HTTP port",
                    "nginx: error_page 497 https://$host$request_uri; redirects plain HTTP sent to a TLS port",
                    "AWS ALB: add an HTTP:80 listener that redirects to HTTPS:443",
                    "Kubernetes ingress-nginx: ssl-redirect / force-ssl-redirect annotations")),
            entry(Cause.NOT_TLS, List.of(
                    "The peer does not speak TLS on this port: check the port and protocol on both sides",
                    "check: the first bytes in the evidence; openssl s_client -connect HOST:PORT")),
            entry(Cause.HANDSHAKE_TIMEOUT, List.of(
                    "Look at the stage: a ClientHello that never completed points to the network path (MTU, fragmentation, a middlebox); a stall after our flight points to the client",
                    "check: ip link (MTU), tracepath HOST; tcpdump -i any -s 0 port PORT",
                    "Clamp TCP MSS on tunnels/VPNs (iptables ... --clamp-mss-to-pmtu) when large ClientHellos (post-quantum key shares) stall",
                    "tlslens: listener handshake-timeout")),
            entry(Cause.PEER_CLOSED, List.of(
                    "The peer closed without an alert: look at its own logs; health checks and scanners do this",
                    "check: openssl s_client -connect HOST:PORT -msg")),
            entry(Cause.PEER_ALERT, List.of(
                    "The peer sent the fatal alert in the evidence: look it up in RFC 8446 §6.2 and in the peer's own logs",
                    "check: openssl s_client -connect HOST:PORT -msg -debug")),
            entry(Cause.MALFORMED_HANDSHAKE, List.of(
                    "The peer's TLS records could not be decoded: check for a broken middlebox or a client bug at the offset in the evidence",
                    "check: tcpdump -i any -s 0 -w capture.pcap port PORT, then Wireshark filter tls.handshake")),
            entry(Cause.BACKEND_CONNECT_REFUSED, List.of(
                    "Nothing listens at the backend address: start the backend or fix backend.address",
                    "check: ss -ltnp | grep PORT; curl -v http://BACKEND/")),
            entry(Cause.BACKEND_CONNECT_TIMEOUT, List.of(
                    "The backend did not accept the TCP connection in time: check firewalls/security groups and load",
                    "tlslens: backend.connect-timeout")),
            entry(Cause.BACKEND_UNREACHABLE, List.of(
                    "The backend address does not resolve or has no route: check DNS and routing",
                    "check: getent hosts NAME; ip route get ADDRESS")),
            entry(Cause.INTERNAL_ERROR, List.of(
                    "tlslens failed itself: the stack trace is in the log; please report it")));

    /** Hints for the backend leg, where tlslens is the client: they name its backend.tls keys and the backend's own knobs. */
    private static final Map<Cause, List<String>> BACKEND = Map.ofEntries(
            entry(Cause.PROTOCOL_VERSION_MISMATCH, List.of(
                    "Align tlslens' backend.tls.protocols (or backend.tls.policy) with what the backend accepts, or upgrade the backend",
                    "check: openssl s_client -connect BACKEND -tls1_2 (and -tls1_3, -tls1_1)",
                    "nginx backend: ssl_protocols; HAProxy backend: ssl-min-ver on the bind line")),
            entry(Cause.NO_SHARED_CIPHER, List.of(
                    "Align tlslens' backend.tls.cipher-suites (or backend.tls.policy) with the backend's cipher list",
                    "check: nmap --script ssl-enum-ciphers -p PORT BACKEND",
                    "nginx backend: ssl_ciphers; HAProxy backend: ciphers on the bind line")),
            entry(Cause.NO_SHARED_GROUP, List.of(
                    "Let the backend accept x25519 or secp256r1: tlslens offers the named groups of backend.tls.policy"
                            + " (modern and intermediate: X25519MLKEM768, x25519, secp256r1, secp384r1; the others without"
                            + " X25519MLKEM768) and no others",
                    "check: openssl s_client -connect BACKEND -groups X25519:P-256:P-384 (it fails as tlslens does; add"
                            + " :P-521 to see the backend accept a group tlslens does not offer)",
                    "nginx backend: ssl_ecdh_curve X25519:prime256v1:secp384r1; HAProxy backend: curves on the bind line")),
            entry(Cause.ALPN_MISMATCH, List.of(
                    "Align backend.tls.alpn with the protocols the backend accepts, or remove it so that tlslens offers none",
                    "check: openssl s_client -connect BACKEND -alpn h2 (and -alpn http/1.1); look for 'ALPN protocol:'",
                    "nginx backend: http2 on the listen line (or http2 on;); HAProxy backend: alpn h2,http/1.1 on its bind line")),
            entry(Cause.NOT_TLS, List.of(
                    "The backend speaks plain text on that port: set backend.tls.enabled = false, or point backend.address at its TLS port",
                    "check: curl -v http://BACKEND/ and openssl s_client -connect BACKEND")),
            entry(Cause.CERTIFICATE_UNTRUSTED, List.of(
                    "Trust the backend's CA in backend.tls.trust (a PEM bundle), as nginx proxy_ssl_trusted_certificate / HAProxy 'verify required ca-file' do",
                    "check: openssl s_client -connect BACKEND -showcerts; openssl verify -CAfile ca.pem backend.crt")),
            entry(Cause.CERTIFICATE_CHAIN_INCOMPLETE, List.of(
                    "The backend must send its intermediate(s) after its leaf (nginx ssl_certificate bundle, HAProxy PEM with the chain)",
                    "check: openssl s_client -connect BACKEND -showcerts")),
            entry(Cause.CERTIFICATE_EXPIRED, List.of(
                    "Renew the backend's certificate; tlslens_certificate_expiry_timestamp_seconds{leg=\"backend\"} shows every backend certificate seen",
                    "check: openssl s_client -connect BACKEND </dev/null | openssl x509 -noout -dates")),
            entry(Cause.CERTIFICATE_NOT_YET_VALID, List.of(
                    "The backend's certificate starts in the future: check the issuer's and the backend's clocks")),
            entry(Cause.CERTIFICATE_HOSTNAME_MISMATCH, List.of(
                    "Set backend.tls.server-name to a name the backend's certificate covers, or reissue it with that SAN",
                    "backend.tls.verify-hostname = false only where the name cannot match (then trust must be narrow)",
                    "check: openssl s_client -connect BACKEND -servername NAME </dev/null | openssl x509 -noout -ext subjectAltName")),
            entry(Cause.CLIENT_CERTIFICATE_MISSING, List.of(
                    "The backend requires mutual TLS: configure backend.tls.certificate { cert, key } with a certificate from a CA it trusts",
                    "nginx backend: ssl_verify_client / ssl_client_certificate; HAProxy: verify required ca-file on its bind line")),
            entry(Cause.CLIENT_CERTIFICATE_REJECTED, List.of(
                    "Give tlslens (backend.tls.certificate) a client certificate issued by a CA the backend trusts, valid now, with clientAuth usage",
                    "check: openssl s_client -connect BACKEND -cert client.pem -key client.key")),
            entry(Cause.HANDSHAKE_TIMEOUT, List.of(
                    "The backend accepted TCP but did not finish the handshake: check its load and that it speaks TLS on that port",
                    "tlslens: listener handshake-timeout")),
            entry(Cause.PEER_CLOSED, List.of(
                    "The backend closed without an alert: look at its logs (a TLS port behind a TCP proxy, an overloaded server)")));

    private FixHints() {
    }

    /**
     * @param cause a cause
     * @param leg   the leg it was found on
     * @return the hints for that leg: backend-specific ones where they differ, else {@link #forCause(Cause)}
     */
    public static List<String> forCause(Cause cause, Leg leg) {
        if (leg == Leg.BACKEND && BACKEND.containsKey(cause)) {
            return BACKEND.get(cause);
        }
        return forCause(cause);
    }

    /**
     * @param cause a cause
     * @return the fix hints for it, platform-specific ones prefixed with the platform; never empty
     */
    public static List<String> forCause(Cause cause) {
        return HINTS.getOrDefault(cause, List.of());
    }
}
