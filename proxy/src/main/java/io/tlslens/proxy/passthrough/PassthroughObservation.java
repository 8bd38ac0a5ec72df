package io.tlslens.proxy.passthrough;

import io.netty.channel.Channel;
import io.tlslens.config.BackendSettings;
import io.tlslens.inspector.diagnosis.HandshakeFacts;
import io.tlslens.inspector.diagnosis.PassthroughFacts.ClientShape;
import io.tlslens.inspector.registry.TlsRegistry;
import io.tlslens.inspector.wire.Alert;
import io.tlslens.inspector.wire.ContentType;
import io.tlslens.inspector.wire.ServerHello;
import io.tlslens.proxy.conn.ClientFlight;
import io.tlslens.proxy.conn.Observation;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What {@link PassthroughTap} saw of one passthrough connection, both directions, beyond what every
 * leg records ({@link Observation}; its peer bytes are the client's). Mutable, confined to
 * the connection's event loop (the backend channel shares it). First alerts win.
 */
final class PassthroughObservation extends Observation {
    /**
     * The shortest TLS 1.3 Finished record: 4-byte header + 32-byte HMAC-SHA256 + content type + 16-byte tag.
     * A first encrypted client record shorter than that is an alert (19 bytes; the JDK pads it to 35).
     */
    static final int FINISHED_MIN = 53;
    /** After its Finished, a client record at most this long is taken for a closing alert (19 bytes unpadded). */
    static final int CLOSING_ALERT_MAX = 24;

    long bytesFromBackend;
    byte[] backendFirstBytes;
    /** The first records of the client: its ClientHello (the latest after a HelloRetryRequest), how it arrived. */
    final ClientFlight client = new ClientFlight();
    HandshakeFacts.Malformed malformed;
    String malformedFrom;
    HandshakeFacts.PartialRecord partialRecord;
    BackendSettings backend;
    boolean sniUnknown;
    Channel backendChannel;
    ServerHello serverHello;
    List<X509Certificate> chainSeen;
    Alert clientAlert;
    Alert backendAlert;
    boolean clientClosedFirst;
    boolean backendClosedFirst;

    // record shapes after the backend's flight
    boolean clientCcs;
    boolean backendCcs;
    boolean clientFinished;
    boolean backendFinished;
    int clientEncryptedRecords;
    boolean clientSealedAlert;
    boolean clientApplicationData;
    boolean backendDataAfterClientData;
    final StringBuilder clientRecords = new StringBuilder();

    /** Keeps the client's first alert, unless the backend had already closed (the first cause wins). */
    void clientAlert(Alert a) {
        if (clientAlert == null && !backendClosedFirst) {
            clientAlert = a;
        }
    }

    /** Keeps the backend's first alert, unless the client had already closed. */
    void backendAlert(Alert a) {
        if (backendAlert == null && !clientClosedFirst) {
            backendAlert = a;
        }
    }

    boolean tls13() {
        return serverHello != null && !serverHello.helloRetryRequest() && serverHello.tls13();
    }

    /** A record the client sent; only those after the ServerHello shape the judgement. */
    void clientRecord(int type, int length) {
        if (serverHello == null || serverHello.helloRetryRequest()) {
            return;
        }
        if (clientRecords.length() < 200) {
            clientRecords.append(clientRecords.length() == 0 ? "" : " ").append(TlsRegistry.contentTypeName(type))
                    .append('(').append(length).append(')');
        }
        if (type == ContentType.CHANGE_CIPHER_SPEC) {
            clientCcs = true;
            return;
        }
        if (tls13()) {
            if (type != ContentType.APPLICATION_DATA) {
                return;
            }
            clientEncryptedRecords++;
            if (!clientFinished) {
                if (length >= FINISHED_MIN) {
                    clientFinished = true;
                } else if (clientEncryptedRecords == 1) {
                    clientSealedAlert = true;
                    clientEnding();
                }
            } else if (length > CLOSING_ALERT_MAX) {
                clientApplicationData = true;
            } else if (!clientApplicationData) {
                clientEnding(); // close_notify after Finished, before any data
            }
            return;
        }
        if (!clientCcs) {
            return;
        }
        if (type == ContentType.HANDSHAKE) {
            clientFinished = true;
        } else if (type == ContentType.APPLICATION_DATA) {
            clientApplicationData = true;
        } else if (type == ContentType.ALERT && !clientApplicationData) {
            clientEnding(); // an encrypted alert (close_notify) before any data
        }
    }

    /** The client sent an (encrypted) alert that ends its side: it, not the backend's answer to it, closed first. */
    private void clientEnding() {
        if (!backendClosedFirst) {
            clientClosedFirst = true;
        }
    }

    /** A record the backend sent. */
    void backendRecord(int type, int length) {
        if (serverHello == null) {
            return;
        }
        if (type == ContentType.CHANGE_CIPHER_SPEC) {
            backendCcs = true;
        } else if (type == ContentType.HANDSHAKE && backendCcs && !tls13()) {
            backendFinished = true;
        } else if (type == ContentType.APPLICATION_DATA) {
            if (tls13()) {
                backendFinished = true;
            }
            if (clientApplicationData) {
                backendDataAfterClientData = true;
            }
        }
    }

    /** @return true once both Finished went by (TLS 1.3: the client's Finished, which follows the server's) */
    boolean handshakeComplete() {
        return tls13() ? clientFinished : clientFinished && backendFinished;
    }

    /** @return true when application data has flowed both ways: the handshake succeeded */
    boolean succeeded() {
        return handshakeComplete() && clientApplicationData && backendDataAfterClientData;
    }

    ClientShape shape() {
        if (clientApplicationData) {
            return ClientShape.APPLICATION_DATA;
        }
        if (clientSealedAlert && clientEncryptedRecords == 1) {
            return ClientShape.SEALED_ALERT;
        }
        if (clientFinished) {
            return ClientShape.COMPLETED_NO_DATA;
        }
        return ClientShape.NOTHING;
    }

    /** @return the passthrough observation of a client channel */
    public static PassthroughObservation of(Channel ch) {
        return (PassthroughObservation) Observation.of(ch);
    }
}
