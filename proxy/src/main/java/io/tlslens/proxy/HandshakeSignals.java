package io.tlslens.proxy;

import io.tlslens.inspector.diagnosis.EngineError;
import io.tlslens.inspector.wire.Alert;

/**
 * The alerts and engine error of one handshake, where the first decisive observation wins
 * (DIAGNOSIS.md "First cause wins"): a reset, a timeout or a second alert that follows never
 * overwrites them. The base of the frontend and backend observations; confined to one event loop.
 */
abstract class HandshakeSignals {
    /** The first alert received from the peer, or null. */
    Alert alertReceived;
    /** The first alert tlslens sent, or null. */
    Alert alertSent;
    /** The engine's first error, {@link EngineError#NONE} when none. */
    EngineError engineError = EngineError.NONE;

    /** Keeps {@code a} unless an alert was already received. */
    final void alertReceived(Alert a) {
        if (alertReceived == null) {
            alertReceived = a;
        }
    }

    /** Keeps {@code a} unless an alert was already sent. */
    final void alertSent(Alert a) {
        if (alertSent == null) {
            alertSent = a;
        }
    }

    /** Keeps {@code e} unless an engine error was already recorded. */
    final void engineError(EngineError e) {
        if (!engineError.present()) {
            engineError = e;
        }
    }
}
