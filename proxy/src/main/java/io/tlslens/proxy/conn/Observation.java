package io.tlslens.proxy.conn;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.tlslens.inspector.diagnosis.EngineError;
import io.tlslens.inspector.wire.Alert;
import io.tlslens.inspector.wire.ClientHello;
import io.tlslens.inspector.wire.ServerFlight;
import io.tlslens.proxy.tls.EngineFailure;

/**
 * What every leg's observation of one handshake shares: when it started, the peer's first byte and
 * byte count, the alerts and engine error where the first decisive one wins (a reset, a timeout or a
 * second alert that follows never overwrites it), and whether the outcome was already published (an
 * outcome is published once). Mutable, confined to the connection's event loop; the terminate,
 * passthrough and backend observations extend it with what only their leg sees.
 */
public abstract class Observation {
    /** Channel attribute of a client channel holding its (frontend or passthrough) observation. */
    public static final AttributeKey<Observation> KEY = AttributeKey.valueOf("tlslens.observation");

    private final long startNanos = System.nanoTime();
    private long firstByteNanos;
    private long peerBytes;
    private Alert alertReceived;
    private Alert alertSent;
    private EngineError engineError = EngineError.NONE;
    private boolean published;
    private final ServerFlight serverFlight = new ServerFlight();
    private boolean resumptionCounted;

    /** @return the observation attached to a client channel, or null */
    public static Observation of(Channel ch) {
        return ch.attr(KEY).get();
    }

    /** Counts {@code n} bytes from the peer; the first non-empty read starts the handshake clock. */
    public final void peerBytes(int n) {
        if (peerBytes == 0 && n > 0) {
            firstByteNanos = System.nanoTime();
        }
        peerBytes += n;
    }

    /** @return bytes received from the peer so far */
    public final long peerBytes() {
        return peerBytes;
    }

    /** @return System.nanoTime() when the observation began (accept or connect) */
    public final long startNanos() {
        return startNanos;
    }

    /** @return seconds from the peer's first byte (or, before it, the start) to now */
    public final double elapsedSeconds() {
        return (System.nanoTime() - clockStart()) / 1e9;
    }

    /** @return seconds from the peer's first byte (or the start) to {@code nanos} */
    public final double secondsUntil(long nanos) {
        return (nanos - clockStart()) / 1e9;
    }

    private long clockStart() {
        return firstByteNanos != 0 ? firstByteNanos : startNanos;
    }

    /**
     * Marks the outcome as published.
     *
     * @return true the first time, false when it had already been published (then publish nothing)
     */
    public final boolean publishOnce() {
        if (published) {
            return false;
        }
        published = true;
        return true;
    }

    /** @return whether the outcome was already published */
    public final boolean published() {
        return published;
    }

    /** @return the server's first flight as seen on the wire (ours in terminate, the backend's in passthrough) */
    public final ServerFlight serverFlight() {
        return serverFlight;
    }

    /**
     * Whether the session was resumed, once the server's flight has shown it, told once.
     *
     * @param offered the ClientHello the server answered (the latest, after a HelloRetryRequest), or null
     * @return {@code TRUE} resumed, {@code FALSE} the client tried to resume and got a full handshake, null when
     * there is nothing (more) to count: not known yet, already told, or no resumption was attempted
     */
    public final Boolean resumptionOutcome(ClientHello offered) {
        if (resumptionCounted || serverFlight.resumed() == ServerFlight.Resumed.UNKNOWN) {
            return null;
        }
        resumptionCounted = true;
        if (serverFlight.resumed() == ServerFlight.Resumed.YES) {
            return Boolean.TRUE;
        }
        return offered != null && offered.offersResumption() ? Boolean.FALSE : null;
    }

    /** Keeps {@code a} unless an alert was already received. */
    public final void alertReceived(Alert a) {
        if (alertReceived == null) {
            alertReceived = a;
        }
    }

    /** @return the first alert received from the peer, or null */
    public final Alert alertReceived() {
        return alertReceived;
    }

    /** Keeps {@code a} unless an alert was already sent. */
    public final void alertSent(Alert a) {
        if (alertSent == null) {
            alertSent = a;
        }
    }

    /** @return the first alert tlslens sent, or null */
    public final Alert alertSent() {
        return alertSent;
    }

    /** Keeps {@code e} unless an engine error was already recorded. */
    public final void engineError(EngineError e) {
        if (!engineError.present()) {
            engineError = e;
        }
    }

    /** Records a failed handshake's engine error and the alert it says was received (first ones win). */
    public final void engineFailure(EngineFailure failure) {
        engineError(failure.error());
        failure.error().receivedAlert().ifPresent(this::alertReceived);
    }

    /** @return the engine's first error, {@link EngineError#NONE} when none */
    public final EngineError engineError() {
        return engineError;
    }
}
