package org.nnj.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable, ordered key/value settings handed to providers ({@code units=50}, {@code lr=0.1}). Values are kept as
 * text, as they come from a command line or a spec file, and parsed on request; a value that does not parse throws
 * {@link IllegalArgumentException} naming the key, the value and the expected type.
 *
 * <p>Stability: stable.
 */
public final class Settings {
    private static final Settings EMPTY = new Settings(Map.of());
    private final Map<String, String> values;

    private Settings(Map<String, String> values) {
        this.values = values;
    }

    /** No settings. */
    public static Settings empty() {
        return EMPTY;
    }

    /** Settings from alternating keys and values: {@code of("units", 50, "init", "he")}. */
    public static Settings of(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("Settings.of needs key/value pairs, got " + keysAndValues.length + " items");
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put(String.valueOf(keysAndValues[i]), String.valueOf(Objects.requireNonNull(keysAndValues[i + 1])));
        }
        return new Settings(Collections.unmodifiableMap(m));
    }

    /** Settings from a map (copied, order kept). */
    public static Settings of(Map<String, String> map) {
        return new Settings(Collections.unmodifiableMap(new LinkedHashMap<>(map)));
    }

    /** These settings with one more (or one replaced) entry. */
    public Settings with(String key, Object value) {
        Map<String, String> m = new LinkedHashMap<>(values);
        m.put(key, String.valueOf(value));
        return new Settings(Collections.unmodifiableMap(m));
    }

    /** True if {@code key} is set. */
    public boolean has(String key) {
        return values.containsKey(key);
    }

    /** The raw text of {@code key}, or {@code fallback}. */
    public String getString(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    /** {@code key} as an int, or {@code fallback} if absent. */
    public int getInt(String key, int fallback) {
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + key + "=" + v + " is not an integer");
        }
    }

    /**
     * {@code key} as an int that must be present.
     *
     * @throws IllegalArgumentException if absent or not an integer
     */
    public int requireInt(String key) {
        if (!has(key)) {
            throw new IllegalArgumentException("setting " + key + " is required (an integer)");
        }
        return getInt(key, 0);
    }

    /** {@code key} as a double, or {@code fallback} if absent. */
    public double getDouble(String key, double fallback) {
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + key + "=" + v + " is not a number");
        }
    }

    /** {@code key} as a boolean ({@code true}/{@code false}), or {@code fallback} if absent. */
    public boolean getBoolean(String key, boolean fallback) {
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true": return true;
            case "false": return false;
            default: throw new IllegalArgumentException("setting " + key + "=" + v + " is not true or false");
        }
    }

    /** All entries, in insertion order, unmodifiable. */
    public Map<String, String> asMap() {
        return values;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Settings && values.equals(((Settings) o).values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
