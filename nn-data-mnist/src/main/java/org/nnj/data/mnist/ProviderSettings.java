package org.nnj.data.mnist;

import java.util.Set;
import org.nnj.api.Settings;

/** The settings both providers accept; any other key is rejected so that a typo is not silently ignored. */
final class ProviderSettings {
    static final String DIR = "dir";
    static final String FLATTEN = "flatten";
    private static final Set<String> KNOWN = Set.of(DIR, FLATTEN);

    private ProviderSettings() {
    }

    static void check(String provider, Settings settings) {
        for (String key : settings.asMap().keySet()) {
            if (!KNOWN.contains(key)) {
                throw new IllegalArgumentException(provider + ": unknown setting " + key + ", expected dir or flatten");
            }
        }
    }
}
