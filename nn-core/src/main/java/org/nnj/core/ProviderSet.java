package org.nnj.core;

import com.google.common.collect.ImmutableSortedMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
     * @throws UnknownProviderException if there is none: one line with the near names ({@code did you mean relu?}),
     *     the known names, and how a plugin's jar joins the class path
     */
    public P get(String name) {
        P p = byName.get(normalise(name));
        if (p == null) {
            List<String> near = nearNames(name);
            throw new UnknownProviderException("unknown " + kind + " '" + name + "'"
                    + (near.isEmpty() ? "" : " (did you mean " + String.join(" or ", near) + "?)") + "; known " + kind
                    + "s: " + (byName.isEmpty() ? "none" : String.join(", ", byName.keySet()))
                    + "; a plugin " + kind + " needs its jar on the class path (NNJ_CLASSPATH=your-plugin.jar ./nnj ...)");
        }
        return p;
    }

    /**
     * The known names close to {@code name}, nearest first, at most three: those at an edit distance of at most a
     * quarter of its length (two at most), ignoring case and the separators {@code - _} and blanks, and those it
     * begins (four characters or more). {@code relux} → {@code relu}; {@code leakyrelu} → {@code leaky-relu};
     * {@code maxpool} → {@code maxpool2d}; {@code gpu} → nothing.
     */
    List<String> nearNames(String name) {
        String want = squash(name);
        int limit = Math.min(2, want.length() / 4);
        List<String> near = new ArrayList<>();
        Map<String, Integer> distance = new TreeMap<>();
        for (String known : byName.keySet()) {
            String k = squash(known);
            int d = editDistance(want, k);
            if (d <= limit || (want.length() >= 4 && k.startsWith(want))) {
                near.add(known);
                distance.put(known, d);
            }
        }
        near.sort(Comparator.comparing((String n) -> distance.get(n)).thenComparing(Comparator.naturalOrder()));
        return near.size() <= 3 ? near : near.subList(0, 3);
    }

    private static String squash(String name) {
        return normalise(name).replaceAll("[-_\\s]", "");
    }

    /** The Levenshtein distance: insertions, deletions and substitutions. */
    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
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
