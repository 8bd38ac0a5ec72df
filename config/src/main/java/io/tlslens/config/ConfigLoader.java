package io.tlslens.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Optional;

/**
 * Turns HOCON into validated {@link TlslensSettings}. Every problem found is collected and thrown
 * together in one {@link InvalidConfigException}, each naming the key path, {@code file:line} and a fix.
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    /**
     * Loads a user file over {@code reference.conf} (with {@code ${?VAR}} environment substitution),
     * then validates everything, collecting all problems before throwing.
     * Relative certificate and key paths resolve against the file's directory.
     *
     * @param file the HOCON file
     * @return the validated settings, {@code source} = the file
     * @throws InvalidConfigException listing every problem (syntax, types, values, unreadable or mismatched files)
     */
    public static TlslensSettings load(Path file) throws InvalidConfigException {
        return load(file, TlsCatalog.INSPECTOR);
    }

    static TlslensSettings load(Path file, TlsCatalog catalog) throws InvalidConfigException {
        Path absolute = file.toAbsolutePath().normalize();
        String shown = file.toString();
        if (!Files.isRegularFile(absolute)) {
            throw single("(file)", shown, Files.exists(absolute) ? "not a regular file" : "no such file",
                    "check the path given with --config (resolved to " + absolute + ")");
        }
        if (!Files.isReadable(absolute)) {
            throw single("(file)", shown, "not readable by this user", "check the file's permissions");
        }
        Config user;
        try {
            user = ConfigFactory.parseFile(new File(shown), ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (ConfigException e) {
            throw single("(syntax)", ConfigReader.originString(e.origin(), shown), ConfigReader.stripOrigin(e),
                    "correct the HOCON syntax at that line");
        }
        Path baseDir = absolute.getParent();
        return new Settings(catalog, baseDir).build(user, Optional.of(absolute));
    }

    /**
     * Loads from a Config object (for tests and embedding); {@code reference.conf} fills unset keys and
     * origins in problems come from the Config's own origin descriptions.
     *
     * @param config  the configuration, with or without the {@code reference.conf} defaults
     * @param baseDir the directory relative certificate and key paths resolve against
     * @return the validated settings, {@code source} empty
     * @throws InvalidConfigException listing every problem
     */
    public static TlslensSettings load(Config config, Path baseDir) throws InvalidConfigException {
        return load(config, baseDir, TlsCatalog.INSPECTOR);
    }

    static TlslensSettings load(Config config, Path baseDir, TlsCatalog catalog) throws InvalidConfigException {
        return new Settings(catalog, baseDir.toAbsolutePath().normalize()).build(config, Optional.empty());
    }

    /**
     * The embedded default, for running without a configuration file: listener {@code default} on
     * 127.0.0.1:8443, terminate, a self-signed ECDSA P-256 certificate for {@code localhost}
     * (SAN DNS:localhost, IP:127.0.0.1; valid from 1 day ago to 90 days ahead) generated now and written
     * into {@code dir} as {@code tlslens-localhost.pem} and {@code tlslens-localhost.key} (PKCS#8, mode 0600);
     * backend 127.0.0.1:8080 plain TCP; admin 127.0.0.1:9464. The environment variables {@code TLSLENS_BIND},
     * {@code TLSLENS_BACKEND} and {@code TLSLENS_ADMIN_BIND} ({@code host:port}) override the three addresses.
     *
     * @param dir directory for the certificate and key; created if missing, existing files replaced
     * @return the settings, {@code source} empty
     * @throws InvalidConfigException when the files cannot be written (path {@code (embedded default)})
     */
    public static TlslensSettings embeddedDefault(Path dir) throws InvalidConfigException {
        return embeddedDefault(dir, TlsCatalog.INSPECTOR);
    }

    static TlslensSettings embeddedDefault(Path dir, TlsCatalog catalog) throws InvalidConfigException {
        try {
            SelfSigned.writeLocalhost(dir);
        } catch (IOException | GeneralSecurityException e) {
            throw single("(embedded default)", dir.toString(), "cannot write the self-signed certificate: " + e,
                    "make " + dir + " writable, or run with --config FILE");
        }
        String text = String.join("\n",
                "tlslens.listeners = [ {",
                "  name = default",
                "  bind = \"127.0.0.1:8443\"",
                "  bind = ${?TLSLENS_BIND}",
                "  mode = terminate",
                "  tls.certificates = [ { cert = \"" + SelfSigned.CERT_FILE + "\", key = \"" + SelfSigned.KEY_FILE + "\" } ]",
                "  backend.address = \"127.0.0.1:8080\"",
                "  backend.address = ${?TLSLENS_BACKEND}",
                "} ]",
                "tlslens.admin.bind = \"127.0.0.1:9464\"",
                "tlslens.admin.bind = ${?TLSLENS_ADMIN_BIND}");
        Config config = ConfigFactory.parseString(text, ConfigParseOptions.defaults().setOriginDescription("embedded default"));
        return load(config, dir, catalog);
    }

    private static InvalidConfigException single(String path, String origin, String message, String fix) {
        return new InvalidConfigException(List.of(new ConfigProblem(path, origin, message, fix)));
    }
}
