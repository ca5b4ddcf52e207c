package org.nnj.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nnj.api.Settings;
import org.nnj.api.Shape;
import org.nnj.core.Registry;
import org.nnj.testkit.internal.ProbeLossProvider;

/** The kit passes a correct layer and catches each broken rule with a message that says what to fix. */
class LayerKitTest {

    private static String failureOf(String fault) {
        AssertionError e = assertThrows(AssertionError.class,
                () -> LayerKit.check(new ScaleProvider(), Settings.of("fault", fault), Shape.of(4)));
        return e.getMessage();
    }

    private static void assertOnlyFailure(String message, String check, String... fragments) {
        assertTrue(message.contains("failed 1 check:"), message);
        assertTrue(message.contains("\n  - " + check + ": "), message);
        for (String f : fragments) {
            assertTrue(message.contains(f), "'" + f + "' missing from: " + message);
        }
    }

    @Test
    void aCorrectLayerPasses() {
        LayerKit.check(new ScaleProvider(), Settings.empty(), Shape.of(4));
        LayerKit.of(new ScaleProvider()).inputShape(Shape.of(2)).batchSize(1).seed(7).inputRange(0.5, 1).check();
    }

    @Test
    void aWrongInputGradientIsCaught() {
        String m = failureOf("wrong-dx");
        assertOnlyFailure(m, "gradients", "the input gradient", "relative error", "kit-scale",
                ScaleProvider.class.getName());
    }

    @Test
    void aWrongParameterGradientIsCaughtAndNamed() {
        assertOnlyFailure(failureOf("wrong-dw"), "gradients", "parameter w ", "at [");
    }

    @Test
    void mutationIsCaught() {
        assertTrue(failureOf("mutates-dout").contains("no mutation: backward(dout) wrote into dout"));
        assertTrue(failureOf("mutates-x").contains("no mutation: forward(x, INFERENCE) wrote into x"));
    }

    @Test
    void backwardWithoutATrainingForwardMustThrow() {
        String m = failureOf("no-state-check");
        assertTrue(m.contains("state errors: backward on a new layer"), m);
        assertTrue(m.contains("state errors: backward after an INFERENCE-mode forward only"), m);
    }

    @Test
    void overwritingGradientsIsCaught() {
        String m = failureOf("overwrites-grad");
        assertTrue(m.contains("failed 2 checks:"), m);
        assertTrue(m.contains("\n  - accumulation: after two backward passes w.grad is not twice the gradient of one: "
                + "backward must add into Parameter.grad()"), m);
        assertTrue(m.contains("\n  - accumulation: after two backward passes b.grad"), m);
    }

    @Test
    void stateOutsideParametersBreaksTheRoundTrip() {
        assertOnlyFailure(failureOf("hidden-state"), "save and load", "predicts differently");
    }

    @Test
    void anOutputShapeThatDisagreesWithForwardIsCaught() {
        String m = failureOf("wrong-output-shape");
        assertTrue(m.contains("shapes: TRAIN forward of (3, 4) returned (3, 5) but outputShape((4)) says (4)"), m);
    }

    @Test
    void aStochasticLayerIsToldToFreezeItsRandomness() {
        assertTrue(failureOf("random").contains("determinism: two TRAIN forwards of the same input differ"));
    }

    @Test
    void aParameterWithoutEffectIsReported() {
        assertOnlyFailure(failureOf("unused-parameter"), "gradients", "parameter u ", "no effect on the output");
    }

    @Test
    void parametersInAnotherDtypeAreReported() {
        String m = failureOf("float32-parameters");
        assertTrue(m.contains("parameters: parameter w is " + org.nnj.api.DType.FLOAT32 + ": create parameters in "
                + "LayerContext.dtype()"), m);
    }

    @Test
    void anUpperCaseNameIsReported() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> LayerKit.check(new UpperCaseProvider(), Settings.empty(), Shape.of(3)));
        assertTrue(e.getMessage().contains("name: provider name 'Kit-Upper' must be lower case"), e.getMessage());
    }

    @Test
    void aProviderMissingFromTheServiceFileIsToldWhichLineToAdd() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> LayerKit.check(new UnlistedProvider(), Settings.empty(), Shape.of(3)));
        String m = e.getMessage();
        assertTrue(m.contains("discovery: ServiceLoader does not find " + UnlistedProvider.class.getName()
                + ": add the line '" + UnlistedProvider.class.getName()
                + "' to src/main/resources/META-INF/services/org.nnj.api.spi.LayerProvider"), m);
        assertTrue(m.contains("save and load: not checked"), m);
        assertFalse(m.contains("gradients:"), m);
    }

    @Test
    void aProviderThatCannotCreateTheLayerIsReportedOnce() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> LayerKit.check(new ScaleProvider(), Settings.of("fault", "no-such-fault"), Shape.of(3)));
        assertTrue(e.getMessage().contains("create: provider.create"), e.getMessage());
    }

    @Test
    void anInputShapeIsRequired() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LayerKit.of(new ScaleProvider()).check());
        assertTrue(e.getMessage().contains("inputShape"));
    }

    @Test
    void theProbeLossStaysOutOfTheUsersRegistry() {
        assertFalse(Registry.load().losses().contains(ProbeLossProvider.NAME));
        assertEquals(2, Registry.load().layers().all().size());
    }
}
