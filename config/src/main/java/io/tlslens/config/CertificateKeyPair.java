package io.tlslens.config;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A loaded certificate chain (leaf first) and its private key.
 *
 * @param certFile absolute path of the PEM file the chain came from
 * @param keyFile  absolute path of the PEM file the key came from
 * @param chain    the certificates in file order, leaf first; never empty
 * @param key      the private key matching the leaf's public key
 */
public record CertificateKeyPair(Path certFile, Path keyFile, List<X509Certificate> chain, PrivateKey key) {
    public CertificateKeyPair {
        Objects.requireNonNull(certFile, "certFile");
        Objects.requireNonNull(keyFile, "keyFile");
        Objects.requireNonNull(key, "key");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("empty certificate chain");
        }
    }

    /** @return the leaf (first) certificate */
    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** Never prints key material: names the files, the leaf subject and the key algorithm. */
    @Override
    public String toString() {
        return "CertificateKeyPair[cert=" + certFile + ", key=" + keyFile + ", leaf="
                + leaf().getSubjectX500Principal().getName() + ", chain=" + chain.size()
                + ", keyAlgorithm=" + key.getAlgorithm() + "]";
    }
}
