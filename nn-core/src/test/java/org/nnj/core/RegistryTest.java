package org.nnj.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnj.api.Backend;
import org.nnj.api.NnjException;
import org.nnj.api.Optimizer;
import org.nnj.api.Settings;
import org.nnj.api.UnknownProviderException;
import org.nnj.api.spi.BackendProvider;
import org.nnj.api.spi.OptimizerProvider;

class RegistryTest {

    /** Two providers claiming one name, as two careless plugins would. */
    public static final class FirstNoop implements OptimizerProvider {
        @Override
        public String name() {
            return "noop";
        }

        @Override
        public Optimizer create(Settings settings) {
            return params -> { };
        }
    }

    /** The second claimant of {@code noop}, in another case to prove names are case-insensitive. */
    public static final class SecondNoop implements OptimizerProvider {
        @Override
        public String name() {
            return "NoOp";
        }

        @Override
        public Optimizer create(Settings settings) {
            return params -> { };
        }
    }

    private static ClassLoader withServices(Path dir, String providerLines) throws IOException {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(OptimizerProvider.class.getName()), providerLines);
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, RegistryTest.class.getClassLoader());
    }

    @Test
    void findsTheCpuBackendByNameInAnyCaseAndAsTheDefault() {
        Registry r = Registry.load();
        Backend b = r.backend("CPU", Settings.empty());
        assertEquals("cpu", b.name());
        assertEquals("cpu", r.defaultBackend(Settings.empty()).name());
        assertTrue(r.describe().stream().anyMatch(e -> e.kind().equals("backend") && e.name().equals("cpu")
                && !e.source().isEmpty()));
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        UnknownProviderException e = assertThrows(UnknownProviderException.class,
                () -> Registry.load().backend("gpu", Settings.empty()));
        assertEquals("unknown backend 'gpu'; known backends: cpu; a plugin backend needs its jar on the class path "
                + "(NNJ_CLASSPATH=your-plugin.jar ./nnj ...)", e.getMessage());
    }

    @Test
    void anUnknownNameSuggestsTheNearKnownOnes() {
        ProviderSet<BackendProvider> one = Registry.load().backends();
        assertEquals(List.of("cpu"), one.nearNames("cpuu"));
        assertEquals(List.of("cpu"), one.nearNames("CPU "));
        assertEquals(List.of(), one.nearNames("gpu"), "a short name is not a typo of another short name");
        UnknownProviderException e = assertThrows(UnknownProviderException.class, () -> one.get("cpuu"));
        assertTrue(e.getMessage().startsWith("unknown backend 'cpuu' (did you mean cpu?); known backends: cpu;"),
                e.getMessage());
    }

    @Test
    void anExplicitClassLoaderAddsPlugins(@TempDir Path dir) throws IOException {
        Registry r = Registry.load(withServices(dir, FirstNoop.class.getName() + "\n"));
        assertTrue(r.optimizers().contains("noop"));
        assertSame(FirstNoop.class, r.optimizers().get("NOOP").getClass());
        // the default loader does not see the plugin
        assertTrue(!Registry.load().optimizers().contains("noop"));
    }

    @Test
    void duplicateNamesAreRejectedNamingBothClasses(@TempDir Path dir) throws IOException {
        ClassLoader cl = withServices(dir, FirstNoop.class.getName() + "\n" + SecondNoop.class.getName() + "\n");
        NnjException e = assertThrows(NnjException.class, () -> Registry.load(cl));
        assertEquals("two optimizer providers are named 'noop': " + FirstNoop.class.getName() + " and "
                + SecondNoop.class.getName(), e.getMessage());
    }

    @Test
    void aBrokenServicesFileIsOneClearError(@TempDir Path dir) throws IOException {
        ClassLoader cl = withServices(dir, "com.example.DoesNotExist\n");
        NnjException e = assertThrows(NnjException.class, () -> Registry.load(cl));
        assertTrue(e.getMessage().startsWith("cannot load an optimizer provider:"), e.getMessage());
        assertTrue(e.getMessage().contains("com.example.DoesNotExist"), e.getMessage());
    }
}
