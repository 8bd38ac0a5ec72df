package io.tlslens.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigOrigin;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The files one configuration names: paths resolved against the configuration's directory, then loaded by
 * {@link CertificateFiles}. A PEM file named by several keys is read once. Every mistake is a problem in
 * the {@link ConfigReader}; the methods then return an empty result.
 */
final class ConfigFiles {
    private static final String SYSTEM = "system";

    private final ConfigReader read;
    private final Path baseDir;
    /** Loaded PEM files, so a file named by several listeners is read once. */
    private final Map<Path, List<X509Certificate>> certCache = new HashMap<>();

    ConfigFiles(ConfigReader read, Path baseDir) {
        this.read = read;
        this.baseDir = baseDir;
    }

    /**
     * @return the path of a file key ({@code key} = {@code "crl"} …) when it is set and valid; null when it is
     *         absent or after a problem
     */
    Path optionalPath(Config c, String prefix, String key, ConfigOrigin where) {
        if (!c.hasPath(key)) {
            return null;
        }
        String text = read.string(c, prefix, key, where);
        return text == null ? null : path(text, prefix + key, ConfigReader.originOf(c, key, where));
    }

    /** @return {@code text} as an absolute, normalized path (relative ones against the base directory), or null */
    Path path(String text, String path, String origin) {
        try {
            if (text.isBlank()) {
                throw new InvalidPathException(text, "empty path");
            }
            Path p = Path.of(text);
            return (p.isAbsolute() ? p : baseDir.resolve(p)).normalize();
        } catch (InvalidPathException e) {
            read.problem(path, origin, "invalid file path \"" + text + "\": " + e.getReason(),
                    "give a file path; relative paths resolve against " + baseDir);
            return null;
        }
    }

    /** @return for {@code system}, an empty list; otherwise the certificates of the PEM bundle named */
    List<X509Certificate> trust(Config c, String prefix, String key, ConfigOrigin where) {
        String s = read.string(c, prefix, key, where);
        if (s == null || s.equals(SYSTEM)) {
            return List.of();
        }
        String origin = ConfigReader.originOf(c, key, where);
        Path p = path(s, prefix + key, origin);
        return p == null ? List.of() : certificates(p, prefix + key, origin, "trust bundle");
    }

    /** @return the {@code { cert = ..., key = ... }} object at {@code prefix} loaded and matched, or null */
    CertificateKeyPair pair(Config c, String prefix, ConfigOrigin where) {
        String certText = read.string(c, prefix, "cert", where);
        String keyText = read.string(c, prefix, "key", where);
        String certOrigin = ConfigReader.originOf(c, "cert", where);
        String keyOrigin = ConfigReader.originOf(c, "key", where);
        Path certFile = certText == null ? null : path(certText, prefix + "cert", certOrigin);
        Path keyFile = keyText == null ? null : path(keyText, prefix + "key", keyOrigin);
        List<X509Certificate> chain = certFile == null ? List.of()
                : certificates(certFile, prefix + "cert", certOrigin, "certificate");
        PrivateKey key = keyFile == null ? null
                : CertificateFiles.privateKey(keyFile, prefix + "key", keyOrigin, baseDir, read::problem);
        return CertificateFiles.pair(certFile, chain, keyFile, key, prefix + "key", keyOrigin, read::problem);
    }

    /** @return the certificates of a PEM file ({@code what} names it in messages), or an empty list */
    List<X509Certificate> certificates(Path file, String path, String origin, String what) {
        List<X509Certificate> cached = certCache.get(file);
        if (cached != null) {
            return cached;
        }
        List<X509Certificate> certs = CertificateFiles.certificates(file, path, origin, what, baseDir, read::problem);
        if (!certs.isEmpty()) {
            certCache.put(file, certs);
        }
        return certs;
    }

    /** @return the CRLs of the file named by {@code key}; empty when the key is absent or after a problem */
    List<X509CRL> crls(Config c, String prefix, String key, ConfigOrigin where) {
        Path file = optionalPath(c, prefix, key, where);
        return file == null ? List.of()
                : CertificateFiles.crls(file, prefix + key, ConfigReader.originOf(c, key, where), baseDir, read::problem);
    }
}
