package io.tlslens.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Typed reads of one validation run. Each read turns a missing key, a wrong type or a bad value into a
 * {@link ConfigProblem} naming the key path, the {@code file:line} it was written at and a fix, and returns
 * null; the problems are collected here, in the order found.
 *
 * <p>Every read takes the {@code Config} of the enclosing object, the key path {@code prefix} of that object
 * (e.g. {@code tlslens.listeners[0].}), the key, and {@code where}: the origin to blame when the key itself
 * has none of the user's (it is missing, or a default from {@code reference.conf}).
 */
final class ConfigReader {
    private final List<ConfigProblem> problems = new ArrayList<>();

    /** One string element of a list, with its own key path ({@code key[i]}) and origin. */
    record Item(String path, String text, String origin) {
    }

    /** @return the problems so far; a live view in the order found */
    List<ConfigProblem> problems() {
        return problems;
    }

    /** @return how many problems were found so far; compare before and after a block to see whether it was clean */
    int count() {
        return problems.size();
    }

    void problem(String path, String origin, String message, String fix) {
        problems.add(new ConfigProblem(path, origin, message, fix));
    }

    void problem(ConfigProblem problem) {
        problems.add(problem);
    }

    /** Records an unknown key with the closest known key as the fix, or the keys allowed there. */
    void unknownKey(KeySchema.Unknown u) {
        problem(u.path(), originString(u.value().origin(), "unknown"),
                "unknown key '" + u.path().substring(u.path().lastIndexOf('.') + 1) + "'",
                u.suggestion() != null ? "did you mean '" + u.suggestion() + "'?"
                        : "remove it; keys here: " + String.join(", ", u.known()));
    }

    // ---------------------------------------------------------------- typed values

    /** @return {@code host:port}; with {@code bind} false, port 0 is refused (it cannot be connected to) */
    HostPort address(Config c, String prefix, String key, ConfigOrigin where, boolean bind) {
        String s = string(c, prefix, key, where);
        if (s == null) {
            return null;
        }
        try {
            HostPort hp = HostPort.parse(s);
            if (!bind && hp.port() == 0) {
                throw new IllegalArgumentException("\"" + s + "\": port 0 cannot be connected to");
            }
            return hp;
        } catch (IllegalArgumentException e) {
            problem(prefix + key, originOf(c, key, where), "malformed address: " + e.getMessage(),
                    bind ? "write \"host:port\", e.g. \"0.0.0.0:8443\" or \"[::]:8443\""
                            : "write \"host:port\" with a port in 1..65535, e.g. \"127.0.0.1:8080\"");
            return null;
        }
    }

    /** @return the constant whose lower-case name is the value (case-insensitive); the fix lists all constants */
    <E extends Enum<E>> E enumValue(Config c, String prefix, String key, ConfigOrigin where, Class<E> type) {
        List<String> choices = Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
        String s = oneOf(c, prefix, key, where, choices);
        return s == null ? null : Enum.valueOf(type, s.toUpperCase(Locale.ROOT));
    }

    /** @return the value in lower case when it is one of {@code choices} (compared case-insensitively) */
    String oneOf(Config c, String prefix, String key, ConfigOrigin where, List<String> choices) {
        String s = string(c, prefix, key, where);
        if (s == null) {
            return null;
        }
        String lower = s.trim().toLowerCase(Locale.ROOT);
        if (choices.contains(lower)) {
            return lower;
        }
        String last = choices.get(choices.size() - 1);
        String listed = choices.size() == 1 ? last
                : String.join(", ", choices.subList(0, choices.size() - 1)) + " or " + last;
        problem(prefix + key, originOf(c, key, where), "unknown " + key + " \"" + s + "\"", "use " + listed);
        return null;
    }

    /** @return a duration, positive or (with {@code zeroAllowed}) zero */
    Duration duration(Config c, String prefix, String key, ConfigOrigin where, boolean zeroAllowed) {
        Duration d = get(c, prefix, key, where, "a duration such as 10s or 500ms", c::getDuration);
        if (d != null && (d.isNegative() || (!zeroAllowed && d.isZero()))) {
            problem(prefix + key, originOf(c, key, where),
                    key + " must be " + (zeroAllowed ? "zero or more" : "positive") + ", found " + d,
                    "set a duration such as 10s");
            return null;
        }
        return d;
    }

    /** @return a whole number above zero; {@code fix} says what to set instead */
    Integer positiveInt(Config c, String prefix, String key, ConfigOrigin where, String fix) {
        Integer n = get(c, prefix, key, where, "a positive whole number", c::getInt);
        if (n != null && n <= 0) {
            problem(prefix + key, originOf(c, key, where), key + " must be positive, found " + n, fix);
            return null;
        }
        return n;
    }

    Boolean bool(Config c, String prefix, String key, ConfigOrigin where) {
        return get(c, prefix, key, where, "true or false", c::getBoolean);
    }

    String string(Config c, String prefix, String key, ConfigOrigin where) {
        return get(c, prefix, key, where, "a string", c::getString);
    }

    Config object(Config c, String prefix, String key, ConfigOrigin where) {
        return get(c, prefix, key, where, "an object { ... }", c::getConfig);
    }

    /**
     * Reads a list whose elements must be strings; each other element is a problem at {@code key[i]}
     * ("expected {@code element}, found ...", with {@code fix}) and is left out.
     *
     * @return the string elements, trimmed, each with its path and origin; null when the key is missing or no list
     */
    List<Item> strings(Config c, String prefix, String key, ConfigOrigin where, String expected, String element,
                       String fix) {
        ConfigList list = get(c, prefix, key, where, expected, c::getList);
        if (list == null) {
            return null;
        }
        List<Item> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            ConfigValue v = list.get(i);
            String path = prefix + key + "[" + i + "]";
            String origin = originString(v.origin(), "unknown");
            if (v.valueType() != ConfigValueType.STRING) {
                problem(path, origin, "expected " + element + ", found " + describe(v), fix);
                continue;
            }
            out.add(new Item(path, ((String) v.unwrapped()).trim(), origin));
        }
        return out;
    }

    /** Reads one value, turning Typesafe's exceptions into problems; null after a problem. */
    <T> T get(Config c, String prefix, String key, ConfigOrigin where, String expected, Function<String, T> getter) {
        try {
            return getter.apply(key);
        } catch (ConfigException.Missing e) {
            problem(prefix + key, originString(where, "unknown"), "missing required key " + key,
                    "set " + prefix + key + " (" + expected + ")");
        } catch (ConfigException.WrongType | ConfigException.BadValue e) {
            ConfigValue v = c.hasPathOrNull(key) && !c.getIsNull(key) ? c.getValue(key) : null;
            String found = v != null ? describe(v) : stripOrigin(e);
            String origin = originString(e.origin() != null ? e.origin() : where, "unknown");
            problem(prefix + key, origin, "expected " + expected + ", found " + found,
                    "set " + prefix + key + " to " + expected);
        } catch (ConfigException e) {
            problem(prefix + key, originString(e.origin() != null ? e.origin() : where, "unknown"),
                    stripOrigin(e), "set " + prefix + key + " to " + expected);
        }
        return null;
    }

    // ---------------------------------------------------------------- origins

    /** @return where {@code key} was written; a default from {@code reference.conf} points at {@code fallback} instead */
    static String originOf(Config c, String key, ConfigOrigin fallback) {
        return originOf(c, key, originString(fallback, "unknown"));
    }

    static String originOf(Config c, String key, String fallback) {
        try {
            if (c.hasPath(key)) {
                ConfigOrigin o = c.getValue(key).origin();
                // a default from reference.conf: point at the user's enclosing object instead
                return o.resource() != null ? fallback : originString(o, fallback);
            }
        } catch (ConfigException e) {
            // fall through
        }
        return fallback;
    }

    /** @return {@code file:line} (or {@code resource:line}, or the description) of an origin */
    static String originString(ConfigOrigin o, String fallback) {
        if (o == null) {
            return fallback;
        }
        String name = o.resource() != null ? o.resource() : o.filename();
        if (name != null) {
            return o.lineNumber() > 0 ? name + ":" + o.lineNumber() : name;
        }
        String d = o.description();
        return d == null || d.isEmpty() ? fallback : d.replaceFirst(": (\\d+)$", ":$1");
    }

    /** Typesafe prefixes messages with the origin description; drop it since the origin is shown apart. */
    static String stripOrigin(ConfigException e) {
        String m = e.getMessage();
        if (e.origin() != null && m != null) {
            String prefix = e.origin().description() + ": ";
            if (m.startsWith(prefix)) {
                return m.substring(prefix.length());
            }
        }
        return m;
    }

    /** @return the value's type and its concise rendering, cut at 60 characters, e.g. {@code number 42} */
    static String describe(ConfigValue v) {
        String rendered = v.render(ConfigRenderOptions.concise());
        if (rendered.length() > 60) {
            rendered = rendered.substring(0, 57) + "...";
        }
        return v.valueType().name().toLowerCase(Locale.ROOT) + " " + rendered;
    }
}
