package io.tlslens.inspector.diagnosis;

import io.tlslens.inspector.registry.TlsRegistry;
import io.tlslens.inspector.wire.Alert;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The TLS engine's error for a failed handshake, kept verbatim, with the BoringSSL/OpenSSL reason
 * token picked out of it (e.g. {@code NO_SHARED_CIPHER} from
 * {@code error:10000410:SSL routines:OPENSSL_internal:SSLV3_ALERT_HANDSHAKE_FAILURE}).
 * BoringSSL names a received alert {@code SSLV3_ALERT_*} or {@code TLSV1_ALERT_*}; any other reason
 * was detected locally.
 *
 * @param verbatim the engine's message as it was reported (never null; empty when none)
 * @param reason   the upper-case reason token, or empty when none could be found
 */
public record EngineError(String verbatim, String reason) {
    /** OpenSSL/BoringSSL error strings: {@code error:HEX:LIBRARY:FUNCTION:REASON}; REASON is upper case. */
    private static final Pattern REASON = Pattern.compile("error:[0-9a-fA-F]+:[^:]*:[^:]*:([A-Z0-9_]{3,})");
    private static final Pattern BARE = Pattern.compile("\\b((?:SSLV3|TLSV1)_ALERT_[A-Z0-9_]+|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+){1,})\\b");

    /** No engine error. */
    public static final EngineError NONE = new EngineError("", "");

    /**
     * @param message the engine's exception message, possibly null
     * @return the parsed error; {@link #NONE} when message is null or blank
     */
    public static EngineError parse(String message) {
        if (message == null || message.isBlank()) {
            return NONE;
        }
        Matcher m = REASON.matcher(message);
        String reason = "";
        while (m.find()) {
            reason = m.group(1);
        }
        if (reason.isEmpty()) {
            Matcher b = BARE.matcher(message);
            if (b.find()) {
                reason = b.group(1);
            }
        }
        return new EngineError(message, reason);
    }

    /** @return true when there is an engine error */
    public boolean present() {
        return !verbatim.isEmpty();
    }

    /**
     * @return the alert the engine says it received from the peer ({@code SSLV3_ALERT_CERTIFICATE_EXPIRED} →
     * fatal {@code certificate_expired}), or empty when the reason is not a received alert
     */
    public Optional<Alert> receivedAlert() {
        String name;
        if (reason.startsWith("SSLV3_ALERT_")) {
            name = reason.substring("SSLV3_ALERT_".length());
        } else if (reason.startsWith("TLSV1_ALERT_")) {
            name = reason.substring("TLSV1_ALERT_".length());
        } else {
            return Optional.empty();
        }
        name = name.toLowerCase(Locale.ROOT);
        if (name.equals("user_cancelled")) {
            name = "user_canceled";
        }
        OptionalInt code = TlsRegistry.alertCode(name);
        if (code.isEmpty()) {
            return Optional.empty();
        }
        int level = code.getAsInt() == 0 || code.getAsInt() == 90 ? 1 : 2;
        return Optional.of(new Alert(level, code.getAsInt()));
    }

    /** @return true when the reason is one of the given tokens */
    public boolean is(String... tokens) {
        for (String t : tokens) {
            if (reason.equals(t)) {
                return true;
            }
        }
        return false;
    }
}
