package org.nnj.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;
import org.nnj.api.Layer;
import org.nnj.api.Mode;
import org.nnj.api.Parameter;
import org.nnj.api.Shape;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;

class SequentialTest {

    @Test
    void forwardWalksLayersInOrderAndBackwardInReverseHandingEachOutputOn() {
        Layer a = mock(Layer.class);
        Layer b = mock(Layer.class);
        Layer c = mock(Layer.class);
        Tensor x = mock(Tensor.class, "x");
        Tensor ya = mock(Tensor.class, "ya");
        Tensor yb = mock(Tensor.class, "yb");
        Tensor yc = mock(Tensor.class, "yc");
        Tensor d = mock(Tensor.class, "d");
        Tensor dc = mock(Tensor.class, "dc");
        Tensor db = mock(Tensor.class, "db");
        Tensor da = mock(Tensor.class, "da");
        when(a.forward(x, Mode.TRAIN)).thenReturn(ya);
        when(b.forward(ya, Mode.TRAIN)).thenReturn(yb);
        when(c.forward(yb, Mode.TRAIN)).thenReturn(yc);
        when(c.backward(d)).thenReturn(dc);
        when(b.backward(dc)).thenReturn(db);
        when(a.backward(db)).thenReturn(da);
        Sequential s = new Sequential().add("A", a).add("B", b).add("C", c);

        assertSame(yc, s.forward(x, Mode.TRAIN));
        assertSame(da, s.backward(d));

        InOrder order = inOrder(a, b, c);
        order.verify(a).forward(x, Mode.TRAIN);
        order.verify(b).forward(ya, Mode.TRAIN);
        order.verify(c).forward(yb, Mode.TRAIN);
        order.verify(c).backward(d);
        order.verify(b).backward(dc);
        order.verify(a).backward(db);
    }

    @Test
    void backwardParametersSparesOnlyTheFirstLayersInputGradient() {
        Layer a = mock(Layer.class);
        Layer b = mock(Layer.class);
        Tensor d = mock(Tensor.class, "d");
        Tensor db = mock(Tensor.class, "db");
        when(b.backward(d)).thenReturn(db);
        Sequential s = new Sequential().add("A", a).add("B", b);
        s.backwardParameters(d);
        InOrder order = inOrder(a, b);
        order.verify(b).backward(d);
        order.verify(a).backwardParameters(db);
        org.mockito.Mockito.verify(a, org.mockito.Mockito.never()).backward(any());
    }

    static final class Affine implements Layer {
        @Override
        public Tensor forward(Tensor x, Mode mode) {
            return x;
        }

        @Override
        public Tensor backward(Tensor dout) {
            return dout;
        }

        @Override
        public Shape outputShape(Shape inputShape) {
            return inputShape;
        }
    }

    static final class Relu implements Layer {
        @Override
        public Tensor forward(Tensor x, Mode mode) {
            return x;
        }

        @Override
        public Tensor backward(Tensor dout) {
            return dout;
        }

        @Override
        public Shape outputShape(Shape inputShape) {
            throw new ShapeException("expected rank 1, got " + inputShape);
        }
    }

    @Test
    void namesLayersLikeTheBookAndLooksThemUp() {
        Affine first = new Affine();
        Sequential s = new Sequential().add(first).add(new Relu()).add(new Affine());
        assertEquals(List.of("Affine1", "Relu1", "Affine2"), s.names());
        assertSame(first, s.layer("Affine1"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.layer("Affine3"));
        assertEquals("no layer named Affine3; the layers are [Affine1, Relu1, Affine2]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.add("Relu1", new Relu()));
        assertThrows(IllegalArgumentException.class, () -> s.add("a.b", new Relu()));
    }

    @Test
    void qualifiesParameterNamesAndSharesTheTensors() {
        Layer l = mock(Layer.class);
        Tensor w = mock(Tensor.class);
        Tensor g = mock(Tensor.class);
        org.nnj.api.Backend backend = mock(org.nnj.api.Backend.class);
        when(w.backend()).thenReturn(backend);
        when(w.shape()).thenReturn(Shape.of(2, 3));
        when(g.shape()).thenReturn(Shape.of(2, 3));
        when(w.dtype()).thenReturn(org.nnj.api.DType.FLOAT64);
        when(g.dtype()).thenReturn(org.nnj.api.DType.FLOAT64);
        when(backend.zerosLike(any())).thenReturn(g);
        Parameter local = new Parameter("W", w);
        when(l.parameters()).thenReturn(List.of(local));
        Sequential s = new Sequential().add("Affine1", l);
        Parameter p = s.parameter("Affine1.W");
        assertEquals("Affine1.W", p.name());
        assertSame(w, p.value());
        assertSame(g, p.grad());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.parameter("Affine1.b"));
        assertTrue(e.getMessage().contains("[Affine1.W]"), e.getMessage());
    }

    @Test
    void shapeErrorsNameTheLayer() {
        Sequential s = new Sequential().add(new Affine()).add(new Relu());
        ShapeException e = assertThrows(ShapeException.class, () -> s.outputShape(Shape.of(1, 28, 28)));
        assertEquals("Relu1: expected rank 1, got (1, 28, 28)", e.getMessage());
    }
}
