package io.tlslens.proxy.tls;

import io.tlslens.inspector.diagnosis.EngineError;

/**
 * What a TLS engine's handshake failure says, read once for either leg: the engine's error (its
 * reason parsed from the exception messages, kept verbatim too) and, when our own verifier refused the
 * peer's chain, that refusal with the chain as received.
 *
 * @param error    the parsed engine error
 * @param rejected our verifier's refusal, or null when the engine failed for another reason
 */
public record EngineFailure(EngineError error, ChainRejectedException rejected) {
    /**
     * @param cause the exception of a failed {@code SslHandshakeCompletionEvent} (or a later fatal one)
     * @return the failure, read from the exception and its causes
     */
    public static EngineFailure of(Throwable cause) {
        return new EngineFailure(EngineError.parse(messages(cause)), ChainRejectedException.find(cause));
    }

    /** @return the messages of a throwable and its causes, each once, joined with " / " */
    static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String m = c.getMessage();
            if (m != null && sb.indexOf(m) < 0) {
                if (sb.length() > 0) {
                    sb.append(" / ");
                }
                sb.append(m);
            }
        }
        return sb.toString();
    }
}
