package io.tlslens.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CRL;
import java.security.cert.CRLException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Loads and validates the PEM and CRL files a configuration names: certificate chains, private keys (with the
 * check that a key matches its leaf) and X.509 CRLs. {@link #load} runs the start-up checks again for callers
 * that reload later, e.g. on certificate rotation; the package-private methods report each mistake as a
 * {@link ConfigProblem} with the given key path and origin and return an empty result.
 */
public final class CertificateFiles {
    private CertificateFiles() {
    }

    /**
     * Loads a certificate file (leaf first, then the chain) and its key file, and checks they belong together.
     *
     * @param cert the certificate PEM file; symbolic links are followed
     * @param key  the private key PEM file; symbolic links are followed
     * @return the validated pair, with the paths as given (absolute, normalized)
     * @throws InvalidConfigException one problem per mistake, with path {@code cert} or {@code key}, the file as
     *                                origin, what is wrong and how to fix it
     */
    public static CertificateKeyPair load(Path cert, Path key) throws InvalidConfigException {
        Path certFile = cert.toAbsolutePath().normalize();
        Path keyFile = key.toAbsolutePath().normalize();
        List<ConfigProblem> problems = new ArrayList<>();
        List<X509Certificate> chain = certificates(certFile, "cert", certFile.toString(), "certificate",
                certFile.getParent(), problems::add);
        PrivateKey privateKey = privateKey(keyFile, "key", keyFile.toString(), keyFile.getParent(), problems::add);
        CertificateKeyPair pair = pair(certFile, chain, keyFile, privateKey, "key", keyFile.toString(), problems::add);
        if (pair == null) {
            throw new InvalidConfigException(problems);
        }
        return pair;
    }

    /** @return the certificates of a PEM file, or an empty list after reporting a problem */
    static List<X509Certificate> certificates(Path file, String path, String origin, String what, Path baseDir,
                                              Consumer<ConfigProblem> problems) {
        if (!readable(file, path, origin, what, baseDir, problems)) {
            return List.of();
        }
        try {
            return Pem.readCertificates(file);
        } catch (IOException e) {
            problems.accept(new ConfigProblem(path, origin, "cannot read " + what + " file " + file + ": " + e.getMessage(),
                    "check the path; relative paths resolve against " + baseDir));
        } catch (Pem.PemException e) {
            problems.accept(new ConfigProblem(path, origin, e.getMessage(),
                    "the file must hold PEM certificates (leaf first, then the chain); convert DER with `openssl x509 -inform der -in CERT -out CERT.pem`"));
        }
        return List.of();
    }

    /** @return the private key of a PEM file, or null after reporting a problem */
    static PrivateKey privateKey(Path keyFile, String path, String origin, Path baseDir, Consumer<ConfigProblem> problems) {
        if (!readable(keyFile, path, origin, "key", baseDir, problems)) {
            return null;
        }
        try {
            return Pem.readPrivateKey(keyFile);
        } catch (IOException e) {
            problems.accept(new ConfigProblem(path, origin, "cannot read key file " + keyFile + ": " + e.getMessage(),
                    "check the path; relative paths resolve against " + baseDir));
        } catch (Pem.PemException e) {
            String fix = e.getMessage().contains("encrypted")
                    ? "decrypt it (`openssl pkey -in KEY -out KEY.plain`) and protect the file with mode 0600"
                    : "the key file must hold one PEM private key: PKCS#8 (BEGIN PRIVATE KEY), PKCS#1 (BEGIN RSA PRIVATE KEY) or SEC1 (BEGIN EC PRIVATE KEY)";
            problems.accept(new ConfigProblem(path, origin, e.getMessage(), fix));
        }
        return null;
    }

    /**
     * @return the pair when the chain is non-empty, the key present and matching the leaf; null otherwise
     *         (a mismatch is reported; missing parts were reported when they were read)
     */
    static CertificateKeyPair pair(Path certFile, List<X509Certificate> chain, Path keyFile, PrivateKey key,
                                   String keyPath, String keyOrigin, Consumer<ConfigProblem> problems) {
        if (chain.isEmpty() || key == null) {
            return null;
        }
        X509Certificate leaf = chain.get(0);
        if (!Pem.matches(key, leaf.getPublicKey())) {
            problems.accept(new ConfigProblem(keyPath, keyOrigin,
                    "the private key in " + keyFile + " (" + key.getAlgorithm() + ") does not match the leaf certificate "
                            + leaf.getSubjectX500Principal().getName() + " in " + certFile,
                    "cert and key are from different pairs: check `openssl x509 -noout -pubkey -in CERT` vs `openssl pkey -pubout -in KEY`"));
            return null;
        }
        return new CertificateKeyPair(certFile, keyFile, chain, key);
    }

    /** @return the X.509 CRLs (PEM or DER) of a file, at least one, or an empty list after reporting a problem */
    static List<X509CRL> crls(Path file, String path, String origin, Path baseDir, Consumer<ConfigProblem> problems) {
        if (!readable(file, path, origin, "CRL", baseDir, problems)) {
            return List.of();
        }
        try (InputStream in = Files.newInputStream(file)) {
            List<X509CRL> out = new ArrayList<>();
            for (CRL crl : CertificateFactory.getInstance("X.509").generateCRLs(in)) {
                out.add((X509CRL) crl);
            }
            if (out.isEmpty()) {
                throw new CRLException("no CRL found");
            }
            return out;
        } catch (IOException | GeneralSecurityException e) {
            problems.accept(new ConfigProblem(path, origin, "cannot read CRL file " + file + ": " + e.getMessage(),
                    "the file must hold X.509 CRLs in PEM (BEGIN X509 CRL) or DER; check with `openssl crl -noout -text -in FILE`"));
            return List.of();
        }
    }

    static boolean readable(Path file, String path, String origin, String what, Path baseDir,
                            Consumer<ConfigProblem> problems) {
        String why = !Files.exists(file) ? "no such file"
                : Files.isDirectory(file) ? "is a directory"
                : !Files.isReadable(file) ? "not readable by this user" : null;
        if (why == null) {
            return true;
        }
        problems.accept(new ConfigProblem(path, origin, "cannot read " + what + " file " + file + ": " + why,
                "check the path; relative paths resolve against " + baseDir));
        return false;
    }
}
