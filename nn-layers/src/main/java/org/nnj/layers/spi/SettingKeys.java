package org.nnj.layers.spi;

import java.util.Set;
import java.util.TreeSet;
import org.nnj.api.Settings;

/** Rejects settings a provider does not know, so that a typo ({@code unit=50}) is not silently ignored. */
final class SettingKeys {
    private SettingKeys() {
    }

    /**
     * @param provider the provider's name, for the message
     * @param known    the keys the provider reads
     * @throws IllegalArgumentException naming the first unknown key and the known ones
     */
    static void requireKnown(String provider, Settings settings, Set<String> known) {
        for (String key : settings.asMap().keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException(provider + ": unknown setting '" + key + "'; known settings: "
                        + (known.isEmpty() ? "none" : String.join(", ", new TreeSet<>(known))));
            }
        }
    }
}
