package org.nnj.core;

import com.google.common.collect.ImmutableSortedMap;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.nnj.api.NnjException;
import org.nnj.api.UnknownProviderException;
import org.nnj.api.spi.Provider;

/**
 * The providers of one kind, loaded once through {@link ServiceLoader} and keyed by lower-case name.
 *
 * @param <P> the provider interface
 */
public final class ProviderSet<P extends Provider> {
    private final String kind;
    private final ImmutableSortedMap<String, P> byName;

    private ProviderSet(String kind, ImmutableSortedMap<String, P> byName) {
        this.kind = kind;
        this.byName = byName;
    }

    /**
     * Loads every provider of {@code type} visible to {@code loader}.
     *
     * @throws NnjException naming both classes if two providers share a name, or naming the broken entry if a
     *     {@code META-INF/services} file names a class that cannot be loaded
     */
    static <P extends Provider> ProviderSet<P> load(String kind, Class<P> type, ClassLoader loader) {
        Map<String, P> found = new TreeMap<>();
        try {
            for (P p : ServiceLoader.load(type, loader)) {
                String name = normalise(p.name());
                if (name.isEmpty()) {
                    throw new NnjException(kind + " provider " + p.getClass().getName() + " has an empty name");
                }
                P clash = found.putIfAbsent(name, p);
                if (clash != null && clash.getClass() != p.getClass()) {
                    throw new NnjException("two " + kind + " providers are named '" + name + "': "
                            + clash.getClass().getName() + " and " + p.getClass().getName());
                }
            }
        } catch (ServiceConfigurationError e) {
            throw new NnjException("cannot load " + article(kind) + " provider: " + e.getMessage(), e);
        }
        return new ProviderSet<>(kind, ImmutableSortedMap.copyOf(found));
    }

    private static String article(String kind) {
        return ("aeiou".indexOf(kind.charAt(0)) >= 0 ? "an " : "a ") + kind;
    }

    /** Provider names are compared case-insensitively and without surrounding blanks. */
    static String normalise(String name) {
        return name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    }

    /** The kind, e.g. {@code layer}. */
    public String kind() {
        return kind;
    }

    /**
     * The provider called {@code name} (case-insensitive).
     *
     * @throws UnknownProviderException listing the known names if there is none
     */
    public P get(String name) {
        P p = byName.get(normalise(name));
        if (p == null) {
            throw new UnknownProviderException("unknown " + kind + " '" + name + "'; known " + kind + "s: "
                    + (byName.isEmpty() ? "none (is the module on the class path?)" : String.join(", ", byName.keySet())));
        }
        return p;
    }

    /** True if a provider of that name exists. */
    public boolean contains(String name) {
        return byName.containsKey(normalise(name));
    }

    /** All providers by name, sorted. */
    public Map<String, P> all() {
        return byName;
    }
}
