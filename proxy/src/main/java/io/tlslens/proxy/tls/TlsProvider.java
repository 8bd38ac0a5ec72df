package io.tlslens.proxy.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS engine: BoringSSL (netty-tcnative) wherever its native library loads, the JDK's provider
 * as a fallback only — with a warning, since the diagnoser's reading of engine errors is tuned to
 * BoringSSL.
 */
final class TlsProvider {
    private static final Logger LOG = LoggerFactory.getLogger(TlsProvider.class);
    private static final SslProvider CHOSEN = choose();

    private TlsProvider() {
    }

    /** @return {@link SslProvider#OPENSSL} when BoringSSL is available, else {@link SslProvider#JDK} */
    static SslProvider get() {
        return CHOSEN;
    }

    private static SslProvider choose() {
        if (OpenSsl.isAvailable()) {
            return SslProvider.OPENSSL;
        }
        LOG.warn("BoringSSL (netty-tcnative) is not available on this platform ({}); falling back to the JDK TLS provider",
                String.valueOf(OpenSsl.unavailabilityCause()));
        return SslProvider.JDK;
    }
}
