package org.nnj.examples;

import org.nnj.api.Backend;
import org.nnj.api.Settings;
import org.nnj.core.Registry;

/** Chooses the backend for a command: the named one, or the registry's default, with an optional thread count. */
final class Backends {
    private Backends() {
    }

    /**
     * @param name    a backend provider name, or null for the default (highest rank, or {@code nnj.backend})
     * @param threads the thread count, or 0 to let the backend decide
     */
    static Backend open(Registry registry, String name, int threads) {
        Settings settings = threads > 0 ? Settings.of("threads", threads) : Settings.empty();
        return name == null ? registry.defaultBackend(settings) : registry.backend(name, settings);
    }

    /** Releases the backend's threads if it holds any (it is {@link AutoCloseable}). */
    static void close(Backend backend) {
        if (backend instanceof AutoCloseable) {
            try {
                ((AutoCloseable) backend).close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(Backends.class).warn("closing backend {}: {}", backend.name(), e.toString());
            }
        }
    }
}
