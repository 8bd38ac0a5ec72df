package io.tlslens.proxy.runtime;

import io.tlslens.config.ConfigProblem;
import io.tlslens.config.ListenerSettings;
import io.tlslens.config.Mode;
import io.tlslens.inspector.cert.CrlStatus;
import io.tlslens.proxy.tls.BackendTlsContext;
import io.tlslens.proxy.tls.ServerTlsContexts;

import javax.net.ssl.SSLException;

import java.util.List;
import java.util.function.Consumer;

/**
 * A listener's TLS contexts as start-up builds them, binding nothing: the frontend contexts of a
 * terminate listener (with each chain's load-time analysis) and the backend leg's client context when
 * {@code backend.tls.enabled}. Shared by {@link TlslensServer#start()} and {@code tlslens check}, so both
 * report an engine refusal with the same words.
 *
 * @param frontend the terminate listener's server contexts, null for passthrough and originate
 * @param backend  the backend leg's client context, null when the backend is plain TCP (or passthrough)
 */
record ListenerTls(ServerTlsContexts frontend, BackendTlsContext backend) {
    /**
     * @param ls       a validated listener
     * @param problems where an engine refusal is added, naming {@code tlslens.listeners[i].tls} and the listener's origin
     * @param crlChecks told each backend chain's CRL status (counted by the server; ignored by {@code check})
     * @return the contexts, or null after adding a problem
     */
    static ListenerTls build(ListenerSettings ls, List<ConfigProblem> problems, Consumer<CrlStatus> crlChecks) {
        try {
            ServerTlsContexts frontend = ls.mode() == Mode.TERMINATE ? ServerTlsContexts.build(ls.tls(), ls.name()) : null;
            BackendTlsContext backend = ls.mode() != Mode.PASSTHROUGH && ls.backend().tls().enabled()
                    ? BackendTlsContext.build(ls.backend(), ls.name(), crlChecks) : null;
            return new ListenerTls(frontend, backend);
        } catch (SSLException | RuntimeException e) {
            problems.add(new ConfigProblem(ls.keyPath("tls"), ls.origin(),
                    "the TLS engine refused these settings: " + e.getMessage(),
                    "check tls.protocols, tls.cipher-suites and the certificate/key pair"));
            return null;
        }
    }
}
