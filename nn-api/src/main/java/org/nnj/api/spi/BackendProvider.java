package org.nnj.api.spi;

import org.nnj.api.Backend;
import org.nnj.api.Settings;

/**
 * Creates a backend by name. When no backend is named, the available provider with the highest {@link #rank()}
 * is chosen. Stability: stable.
 */
public interface BackendProvider extends Provider {

    /** Preference when no backend is named: higher wins. The pure-Java {@code cpu} backend has rank 0. */
    int rank();

    /**
     * A new backend.
     *
     * @param settings e.g. {@code threads=2}
     * @throws org.nnj.api.NnjException if the backend cannot run here (e.g. its native library is missing)
     */
    Backend create(Settings settings);
}
