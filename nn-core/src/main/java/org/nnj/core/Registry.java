package org.nnj.core;

import com.google.common.base.Strings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nnj.api.Backend;
import org.nnj.api.Layer;
import org.nnj.api.LayerContext;
import org.nnj.api.Loss;
import org.nnj.api.NnjException;
import org.nnj.api.Optimizer;
import org.nnj.api.Settings;
import org.nnj.api.data.Dataset;
import org.nnj.api.spi.BackendProvider;
import org.nnj.api.spi.DatasetProvider;
import org.nnj.api.spi.LayerProvider;
import org.nnj.api.spi.LossProvider;
import org.nnj.api.spi.OptimizerProvider;
import org.nnj.api.spi.Provider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every provider on the class path, found once through {@link java.util.ServiceLoader}: layers, losses, optimizers,
 * data sets and backends, each asked for by its lower-case name. Immutable and thread-safe once loaded.
 *
 * <p>The default backend is the one named by the system property {@value #BACKEND_PROPERTY} or the environment
 * variable {@value #BACKEND_ENV}; otherwise the available backend of highest rank.
 *
 * <p>Stability: stable.
 */
public final class Registry {
    /** System property naming the default backend. */
    public static final String BACKEND_PROPERTY = "nnj.backend";
    /** Environment variable naming the default backend (the property wins). */
    public static final String BACKEND_ENV = "NNJ_BACKEND";

    private static final Logger log = LoggerFactory.getLogger(Registry.class);

    private final ProviderSet<LayerProvider> layers;
    private final ProviderSet<LossProvider> losses;
    private final ProviderSet<OptimizerProvider> optimizers;
    private final ProviderSet<DatasetProvider> datasets;
    private final ProviderSet<BackendProvider> backends;

    private Registry(ClassLoader loader) {
        layers = ProviderSet.load("layer", LayerProvider.class, loader);
        losses = ProviderSet.load("loss", LossProvider.class, loader);
        optimizers = ProviderSet.load("optimizer", OptimizerProvider.class, loader);
        datasets = ProviderSet.load("dataset", DatasetProvider.class, loader);
        backends = ProviderSet.load("backend", BackendProvider.class, loader);
        log.debug("providers found: layers {}, losses {}, optimizers {}, datasets {}, backends {}",
                layers.all().keySet(), losses.all().keySet(), optimizers.all().keySet(), datasets.all().keySet(),
                backends.all().keySet());
    }

    /** Loads the providers visible to the thread's context class loader (or this class's loader if none). */
    public static Registry load() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return load(cl != null ? cl : Registry.class.getClassLoader());
    }

    /**
     * Loads the providers visible to {@code loader}: pass one explicitly where the default is wrong (fat jars, IDE
     * plugins, application servers, plugin directories).
     *
     * @throws NnjException if two providers of one kind share a name
     */
    public static Registry load(ClassLoader loader) {
        return new Registry(loader);
    }

    /** Layer providers. */
    public ProviderSet<LayerProvider> layers() {
        return layers;
    }

    /** Loss providers. */
    public ProviderSet<LossProvider> losses() {
        return losses;
    }

    /** Optimizer providers. */
    public ProviderSet<OptimizerProvider> optimizers() {
        return optimizers;
    }

    /** Data set providers. */
    public ProviderSet<DatasetProvider> datasets() {
        return datasets;
    }

    /** Backend providers. */
    public ProviderSet<BackendProvider> backends() {
        return backends;
    }

    /** A new layer by provider name. */
    public Layer layer(String name, Settings settings, LayerContext context) {
        return layers.get(name).create(settings, context);
    }

    /** A new loss by provider name. */
    public Loss loss(String name, Settings settings) {
        return losses.get(name).create(settings);
    }

    /** A new optimizer by provider name. */
    public Optimizer optimizer(String name, Settings settings) {
        return optimizers.get(name).create(settings);
    }

    /** Loads a data set by provider name. */
    public Dataset dataset(String name, Settings settings) {
        return datasets.get(name).load(settings);
    }

    /** A new backend by provider name. */
    public Backend backend(String name, Settings settings) {
        return backends.get(name).create(settings);
    }

    /**
     * A new default backend: the one named by {@value #BACKEND_PROPERTY} / {@value #BACKEND_ENV}, else the highest
     * rank.
     *
     * @throws NnjException if no backend provider is on the class path
     */
    public Backend defaultBackend(Settings settings) {
        String named = Optional.ofNullable(System.getProperty(BACKEND_PROPERTY)).orElse(System.getenv(BACKEND_ENV));
        if (!Strings.isNullOrEmpty(named)) {
            return backend(named, settings);
        }
        BackendProvider best = backends.all().values().stream()
                .max(Comparator.comparingInt(BackendProvider::rank).thenComparing(Provider::name,
                        Comparator.reverseOrder()))
                .orElseThrow(() -> new NnjException("no backend provider found; add nn-core (backend 'cpu') to the class path"));
        return best.create(settings);
    }

    /** One row of {@link #describe()}. */
    public static final class Entry {
        private final String kind;
        private final String name;
        private final String className;
        private final String description;
        private final String source;

        Entry(String kind, Provider p) {
            this.kind = kind;
            this.name = ProviderSet.normalise(p.name());
            this.className = p.getClass().getName();
            this.description = Strings.nullToEmpty(p.description());
            var cs = p.getClass().getProtectionDomain().getCodeSource();
            this.source = cs == null || cs.getLocation() == null ? "" : cs.getLocation().toString();
        }

        /** {@code layer}, {@code loss}, {@code optimizer}, {@code dataset} or {@code backend}. */
        public String kind() {
            return kind;
        }

        /** The provider's name. */
        public String name() {
            return name;
        }

        /** The provider's class. */
        public String className() {
            return className;
        }

        /** The provider's one-line description, possibly empty. */
        public String description() {
            return description;
        }

        /** Where the class was loaded from (a jar or directory URL), or empty if unknown. */
        public String source() {
            return source;
        }
    }

    /** Every provider found, by kind then name. */
    public List<Entry> describe() {
        List<Entry> out = new ArrayList<>();
        for (ProviderSet<?> set : List.of(layers, losses, optimizers, datasets, backends)) {
            for (Map.Entry<String, ? extends Provider> e : set.all().entrySet()) {
                out.add(new Entry(set.kind(), e.getValue()));
            }
        }
        return out;
    }
}
