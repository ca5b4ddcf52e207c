package org.nnj.openblas;

import org.nnj.api.Backend;
import org.nnj.api.NnjException;
import org.nnj.api.Settings;
import org.nnj.api.spi.BackendProvider;

/**
 * Registers {@link OpenBlasBackend} as {@code openblas}, rank -1 so that the pure-Java {@code cpu} backend (rank 0)
 * stays the default: it is used only when asked for ({@code --backend openblas}, {@code -Dnnj.backend=openblas}).
 * Setting: {@code threads} (default: the number of available processors).
 */
public final class OpenBlasBackendProvider implements BackendProvider {

    /** For {@link java.util.ServiceLoader}. */
    public OpenBlasBackendProvider() {
    }

    @Override
    public String name() {
        return OpenBlasBackend.NAME;
    }

    @Override
    public String description() {
        return "the cpu backend with OpenBLAS's sgemm/dgemm (org.bytedeco:openblas, linux-x86_64), threads=N";
    }

    @Override
    public int rank() {
        return -1;
    }

    /** @throws NnjException in one line if the OpenBLAS native library cannot be loaded here */
    @Override
    public Backend create(Settings settings) {
        Settings s = settings == null ? Settings.empty() : settings;
        int threads = s.getInt("threads", Runtime.getRuntime().availableProcessors());
        try {
            return new OpenBlasBackend(threads);
        } catch (LinkageError | IllegalStateException e) {
            throw new NnjException("backend openblas: cannot load the OpenBLAS native library on "
                    + System.getProperty("os.name") + "/" + System.getProperty("os.arch") + " ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + "); use --backend cpu", e);
        }
    }
}
