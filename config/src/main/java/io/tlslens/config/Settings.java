package io.tlslens.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One validation run: merges a user Config over {@code reference.conf}, refuses keys it does not know (at
 * every level, the document root included), reads the {@code tlslens} block (admin, log, timeouts, listeners)
 * into {@link TlslensSettings} and throws every problem found at once.
 */
final class Settings {
    private final ConfigReader read = new ConfigReader();
    private final ListenerWalk listeners;

    /**
     * @param catalog the TLS names policies and lists resolve against
     * @param baseDir the directory relative file paths resolve against
     */
    Settings(TlsCatalog catalog, Path baseDir) {
        ConfigFiles files = new ConfigFiles(read, baseDir);
        this.listeners = new ListenerWalk(read, new TlsBlocks(read, files, new PolicyOverrides(catalog, read)));
    }

    /**
     * @param user   the user's configuration, unresolved
     * @param source the file it came from, if any
     * @return the validated settings
     * @throws InvalidConfigException with every problem found
     */
    TlslensSettings build(Config user, Optional<Path> source) throws InvalidConfigException {
        Config root;
        try {
            root = user.withFallback(reference()).resolve();
        } catch (ConfigException e) {
            read.problem("(substitution)", ConfigReader.originString(e.origin(), "unknown"), ConfigReader.stripOrigin(e),
                    "define the referenced key, or the environment variable for ${?VAR}");
            throw new InvalidConfigException(read.problems());
        }
        KeySchema.check(userKeys(root, user), "", KeySchema.ROOT, read::unknownKey);
        Config t = read.object(root, "", "tlslens", root.origin());
        if (t == null) {
            throw new InvalidConfigException(read.problems());
        }
        ConfigOrigin top = t.origin();
        AdminSettings admin = null;
        Config a = read.object(t, "tlslens.", "admin", top);
        if (a != null) {
            HostPort bind = read.address(a, "tlslens.admin.", "bind", top, true);
            Boolean debug = read.bool(a, "tlslens.admin.", "debug-endpoints", top);
            if (bind != null && debug != null) {
                admin = new AdminSettings(bind, debug);
            }
        }
        LogSettings log = log(t, top);
        Duration drain = read.duration(t, "tlslens.", "drain-timeout", top, true);
        Duration reloadInterval = read.duration(t, "tlslens.", "reload-interval", top, true);
        List<ListenerSettings> all = listeners.walk(t, top);
        if (admin != null) {
            listeners.checkAdminBind(admin.bind(), ConfigReader.originOf(a, "bind", top));
        }
        if (read.count() > 0) {
            throw new InvalidConfigException(read.problems());
        }
        return new TlslensSettings(admin, log, drain, reloadInterval, all, source);
    }

    /** @return the {@code tlslens.log} block, or null after a problem */
    private LogSettings log(Config t, ConfigOrigin top) {
        Config l = read.object(t, "tlslens.", "log", top);
        if (l == null) {
            return null;
        }
        LogFormat format = read.enumValue(l, "tlslens.log.", "format", top, LogFormat.class);
        String level = read.oneOf(l, "tlslens.log.", "level", top, LogSettings.LEVELS);
        Integer perSecond = read.positiveInt(l, "tlslens.log.", "failures-per-second", top, "set a positive limit, e.g. 10");
        return format == null || level == null || perSecond == null ? null : new LogSettings(format, level, perSecond);
    }

    /**
     * @return the resolved root without the document-root keys the user did not write (those of
     *         {@code reference.conf} files of other libraries on the class path)
     */
    private static ConfigObject userKeys(Config root, Config user) {
        ConfigObject o = root.root();
        for (String key : List.copyOf(o.keySet())) {
            if (!user.root().containsKey(key)) {
                o = o.withoutKey(key);
            }
        }
        return o;
    }

    private static Config reference() {
        return ConfigFactory.parseResources(Settings.class.getClassLoader(), "reference.conf");
    }
}
