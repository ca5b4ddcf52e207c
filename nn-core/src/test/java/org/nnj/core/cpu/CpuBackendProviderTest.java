package org.nnj.core.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.nnj.api.Backend;
import org.nnj.api.Settings;
import org.nnj.api.spi.BackendProvider;

class CpuBackendProviderTest {

    @Test
    void foundByNameThroughServiceLoader() {
        BackendProvider cpu = ServiceLoader.load(BackendProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("cpu"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no BackendProvider named cpu registered"));
        assertEquals(0, cpu.rank());
        assertTrue(cpu.description().contains("threads"));
        Backend backend = cpu.create(Settings.empty());
        assertEquals("cpu", backend.name());
        assertEquals(Runtime.getRuntime().availableProcessors(), ((CpuBackend) backend).threads());
        ((CpuBackend) backend).close();
    }

    @Test
    void threadsSetting() {
        try (CpuBackend backend = (CpuBackend) new CpuBackendProvider().create(Settings.of("threads", 3))) {
            assertEquals(3, backend.threads());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CpuBackendProvider().create(Settings.of("threads", "many")));
        assertEquals("setting threads=many is not an integer", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new CpuBackendProvider().create(Settings.of("threads", 0)));
        assertEquals("threads must be at least 1, got 0", e.getMessage());
    }
}
