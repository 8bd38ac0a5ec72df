package io.tlslens.proxy.terminate;

import io.netty.channel.Channel;
import io.netty.handler.ssl.OpenSslSession;
import net.logstash.logback.argument.StructuredArguments;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

/** Logs the verified client certificate's subject when an mTLS handshake succeeds (event {@code tls_client_authenticated}). */
final class ClientCertificateLog {
    private static final Logger LOG = LoggerFactory.getLogger("tlslens.mtls");

    private ClientCertificateLog() {
    }

    /** Logs the subject and issuer of the session's client certificate; nothing when the client sent none. */
    static void accepted(Channel ch, SSLSession session) {
        if (session instanceof OpenSslSession s && !s.hasPeerCertificates()) {
            return; // no client certificate: asking BoringSSL's session would throw (and build) an exception
        }
        Certificate[] peer;
        try {
            peer = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException none) {
            return;
        }
        if (peer.length > 0 && peer[0] instanceof X509Certificate leaf) {
            LOG.info("client certificate accepted", StructuredArguments.keyValue("event", "tls_client_authenticated"),
                    StructuredArguments.keyValue("connection_id", ch.id().asShortText()),
                    StructuredArguments.keyValue("client_subject", leaf.getSubjectX500Principal().getName()),
                    StructuredArguments.keyValue("client_issuer", leaf.getIssuerX500Principal().getName()),
                    StructuredArguments.keyValue("client_serial", leaf.getSerialNumber().toString(16)));
        }
    }
}
