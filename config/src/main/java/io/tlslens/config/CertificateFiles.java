package io.tlslens.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Loads and validates a certificate chain and its private key from PEM files: the same checks as at
 * start-up (readable files, PEM certificates, an unencrypted private key, the key matching the leaf),
 * for callers that load again later, e.g. on certificate rotation.
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
