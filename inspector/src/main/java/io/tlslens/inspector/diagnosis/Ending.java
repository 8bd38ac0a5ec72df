package io.tlslens.inspector.diagnosis;

/** How the handshake observation ended, as the proxy saw it. */
public enum Ending {
    /** The peer closed or reset the connection before the handshake completed. */
    PEER_CLOSED,
    /** The handshake timeout fired. */
    TIMEOUT,
    /** The TLS engine failed the handshake (its error is in the facts). */
    ENGINE_FAILURE,
    /** tlslens refused the handshake itself before the engine ran (e.g. require-sni). */
    REJECTED_BY_PROXY,
    /** The handshake completed, then the peer closed before sending any application data. */
    CLOSED_AFTER_HANDSHAKE,
    /** tlslens failed internally (exception outside the engine). */
    INTERNAL_FAILURE
}
