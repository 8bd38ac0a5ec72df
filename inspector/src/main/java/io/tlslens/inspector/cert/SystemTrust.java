package io.tlslens.inspector.cert;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The JDK default trust store's roots (cacerts), loaded once per JVM on first use. */
final class SystemTrust {
    private SystemTrust() {
    }

    /**
     * @return the roots of the default TrustManagerFactory initialised with a null KeyStore
     * @throws IllegalStateException when the JDK trust store cannot be loaded
     */
    static List<X509Certificate> roots() {
        return Holder.ROOTS;
    }

    private static final class Holder {
        static final List<X509Certificate> ROOTS = load();

        private static List<X509Certificate> load() {
            try {
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init((KeyStore) null);
                List<X509Certificate> out = new ArrayList<>();
                for (TrustManager tm : tmf.getTrustManagers()) {
                    if (tm instanceof X509TrustManager x) {
                        out.addAll(Arrays.asList(x.getAcceptedIssuers()));
                    }
                }
                return List.copyOf(out);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot load the JDK default trust store", e);
            }
        }
    }
}
