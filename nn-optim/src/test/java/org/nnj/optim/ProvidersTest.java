package org.nnj.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nnj.api.Optimizer;
import org.nnj.api.Settings;
import org.nnj.api.spi.OptimizerProvider;

/** Every optimizer found by name through ServiceLoader, its defaults, and every setting's checks. */
class ProvidersTest {
    private static final Map<String, OptimizerProvider> PROVIDERS = ServiceLoader.load(OptimizerProvider.class)
            .stream().map(ServiceLoader.Provider::get).collect(Collectors.toMap(OptimizerProvider::name, p -> p));

    private static Optimizer create(String name, Object... settings) {
        return PROVIDERS.get(name).create(Settings.of(settings));
    }

    private static void assertRejected(String expected, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void allSevenAreFoundByNameAndDescribed() {
        assertEquals(Set.of("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"), PROVIDERS.keySet());
        PROVIDERS.values().forEach(p -> assertFalse(p.description().isEmpty(), p.name()));
    }

    @Test
    void defaults() {
        Sgd sgd = assertInstanceOf(Sgd.class, create("sgd"));
        assertEquals(0.01, sgd.learningRate(), 0);
        assertEquals(0, sgd.weightDecay().rate(), 0);

        Momentum momentum = assertInstanceOf(Momentum.class, create("momentum"));
        assertEquals(0.01, momentum.learningRate(), 0);
        assertEquals(0.9, momentum.momentum(), 0);

        Nesterov nesterov = assertInstanceOf(Nesterov.class, create("nesterov"));
        assertEquals(0.01, nesterov.learningRate(), 0);
        assertEquals(0.9, nesterov.momentum(), 0);

        AdaGrad adagrad = assertInstanceOf(AdaGrad.class, create("adagrad"));
        assertEquals(0.01, adagrad.learningRate(), 0);
        assertEquals(1e-7, adagrad.eps(), 0);

        RmsProp rmsprop = assertInstanceOf(RmsProp.class, create("rmsprop"));
        assertEquals(0.01, rmsprop.learningRate(), 0);
        assertEquals(0.99, rmsprop.decay(), 0);
        assertEquals(1e-7, rmsprop.eps(), 0);

        Adam adam = assertInstanceOf(Adam.class, create("adam"));
        assertEquals(0.001, adam.learningRate(), 0);
        assertEquals(0.9, adam.beta1(), 0);
        assertEquals(0.999, adam.beta2(), 0);
        assertEquals(1e-8, adam.eps(), 0);
        assertEquals(0, adam.weightDecay().rate(), 0);

        AdamW adamw = assertInstanceOf(AdamW.class, create("adamw"));
        assertEquals(0.001, adamw.learningRate(), 0);
        assertEquals(0.9, adamw.beta1(), 0);
        assertEquals(0.999, adamw.beta2(), 0);
        assertEquals(1e-8, adamw.eps(), 0);
        assertEquals(0.01, adamw.weightDecay().rate(), 0);
        assertFalse(adamw.weightDecay().decaysAll());
    }

    @Test
    void settingsAreRead() {
        Adam adam = (Adam) create("adam", "lr", 0.01, "beta1", 0.8, "beta2", 0.99, "eps", 1e-6,
                "weight_decay", 1e-4, "decay_all", true);
        assertEquals(0.01, adam.learningRate(), 0);
        assertEquals(0.8, adam.beta1(), 0);
        assertEquals(0.99, adam.beta2(), 0);
        assertEquals(1e-6, adam.eps(), 0);
        assertEquals(1e-4, adam.weightDecay().rate(), 0);
        assertTrue(adam.weightDecay().decaysAll());
        assertEquals(0.5, ((RmsProp) create("rmsprop", "decay", 0.5)).decay(), 0);
        assertEquals(0.5, ((Nesterov) create("nesterov", "momentum", 0.5)).momentum(), 0);
        assertEquals(0, ((AdamW) create("adamw", "weight_decay", 0)).weightDecay().rate(), 0);
    }

    @Test
    void unknownKeysNameTheKeyAndTheKnownOnes() {
        assertRejected("sgd: unknown setting 'momentum'; known settings: lr, weight_decay, decay_all",
                () -> create("sgd", "momentum", 0.9));
        assertRejected("momentum: unknown setting 'beta1'; known settings: lr, momentum, weight_decay, decay_all",
                () -> create("momentum", "beta1", 0.9));
        assertRejected("nesterov: unknown setting 'nesterov'", () -> create("nesterov", "nesterov", true));
        assertRejected("adagrad: unknown setting 'decay'; known settings: lr, eps, weight_decay, decay_all",
                () -> create("adagrad", "decay", 0.9));
        assertRejected("rmsprop: unknown setting 'alpha'; known settings: lr, decay, eps, weight_decay, decay_all",
                () -> create("rmsprop", "alpha", 0.9));
        assertRejected("adam: unknown setting 'betas'; known settings: lr, beta1, beta2, eps, weight_decay, decay_all",
                () -> create("adam", "betas", "0.9,0.999"));
        assertRejected("adamw: unknown setting 'wd'", () -> create("adamw", "wd", 0.1));
    }

    @Test
    void everyHyperParameterIsRangeChecked() {
        for (String name : PROVIDERS.keySet()) {
            assertRejected(name + ": learning rate lr=0.0", () -> create(name, "lr", 0));
            assertRejected(name + ": learning rate lr=Infinity", () -> create(name, "lr", "Infinity"));
            assertRejected(name + ": weight_decay=-0.1", () -> create(name, "weight_decay", -0.1));
            assertRejected("decay_all=yes", () -> create(name, "decay_all", "yes"));
            assertRejected("lr=fast", () -> create(name, "lr", "fast"));
        }
        for (String name : new String[] {"momentum", "nesterov"}) {
            assertRejected(name + ": momentum=1.0 must be in [0, 1)", () -> create(name, "momentum", 1));
            assertRejected(name + ": momentum=-0.5", () -> create(name, "momentum", -0.5));
        }
        assertRejected("adagrad: eps=0.0", () -> create("adagrad", "eps", 0));
        assertRejected("rmsprop: decay=1.0", () -> create("rmsprop", "decay", 1));
        assertRejected("rmsprop: eps=-1.0", () -> create("rmsprop", "eps", -1));
        for (String name : new String[] {"adam", "adamw"}) {
            assertRejected(name + ": beta1=1.0", () -> create(name, "beta1", 1));
            assertRejected(name + ": beta2=-0.1", () -> create(name, "beta2", -0.1));
            assertRejected(name + ": eps=NaN", () -> create(name, "eps", "NaN"));
        }
        assertRejected("adamw: lr=0.5 times weight_decay=2.0 must be < 1",
                () -> create("adamw", "lr", 0.5, "weight_decay", 2));
        AdamW adamw = (AdamW) create("adamw", "weight_decay", 2);
        assertRejected("adamw: lr=0.5 times weight_decay=2.0", () -> adamw.setLearningRate(0.5));
    }
}
