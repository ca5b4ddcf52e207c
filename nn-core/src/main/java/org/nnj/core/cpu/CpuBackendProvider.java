package org.nnj.core.cpu;

import org.nnj.api.Backend;
import org.nnj.api.Settings;
import org.nnj.api.spi.BackendProvider;

/**
 * Registers the pure-Java {@link CpuBackend} as {@code cpu}, rank 0. Setting: {@code threads} (default: the number
 * of available processors). Stability: stable.
 */
public final class CpuBackendProvider implements BackendProvider {

    /** For {@link java.util.ServiceLoader}. */
    public CpuBackendProvider() {
    }

    @Override
    public String name() {
        return CpuBackend.NAME;
    }

    @Override
    public String description() {
        return "pure-Java CPU backend, float32 and float64 (threads=N, default: all processors)";
    }

    @Override
    public int rank() {
        return 0;
    }

    /** @throws IllegalArgumentException if {@code threads} is not an integer of at least 1 */
    @Override
    public Backend create(Settings settings) {
        Settings s = settings == null ? Settings.empty() : settings;
        return new CpuBackend(s.getInt("threads", Runtime.getRuntime().availableProcessors()));
    }
}
