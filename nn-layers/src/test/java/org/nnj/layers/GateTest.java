package org.nnj.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nnj.layers.Numeric.F64;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nnj.api.Backend;
import org.nnj.api.Shape;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;

/** The book's section 5.4 computation graphs, node by node, in float64. */
class GateTest {
    private final Backend be = Numeric.cpu();

    private Tensor scalar(double v) {
        return be.fromArray(F64, Shape.scalar(), v);
    }

    @Test
    void buyingApplesGivesTheBooksNumbers() {
        MulGate mulApple = new MulGate();
        MulGate mulTax = new MulGate();
        Tensor apple = scalar(100);
        Tensor appleNum = scalar(2);
        Tensor tax = scalar(1.1);

        Tensor applePrice = mulApple.forward(apple, appleNum);
        Tensor price = mulTax.forward(applePrice, tax);
        assertEquals(Shape.scalar(), price.shape());
        assertEquals(220.00000000000003, price.item(), 0.0); // as the book prints it

        Tensor[] taxGrads = mulTax.backward(scalar(1));
        Tensor[] appleGrads = mulApple.backward(taxGrads[0]);
        assertEquals(2.2, appleGrads[0].item(), 0.0);                 // dapple
        assertEquals(110.00000000000001, appleGrads[1].item(), 0.0);  // dapple_num
        assertEquals(200.0, taxGrads[1].item(), 0.0);                 // dtax
    }

    @Test
    void buyingApplesAndOrangesGivesTheBooksNumbers() {
        MulGate mulApple = new MulGate();
        MulGate mulOrange = new MulGate();
        AddGate addFruit = new AddGate();
        MulGate mulTax = new MulGate();
        Tensor tax = scalar(1.1);

        Tensor all = addFruit.forward(mulApple.forward(scalar(100), scalar(2)),
                mulOrange.forward(scalar(150), scalar(3)));
        assertEquals(715.0000000000001, mulTax.forward(all, tax).item(), 0.0);

        Tensor[] taxGrads = mulTax.backward(scalar(1));
        Tensor[] fruitGrads = addFruit.backward(taxGrads[0]);
        Tensor[] appleGrads = mulApple.backward(fruitGrads[0]);
        Tensor[] orangeGrads = mulOrange.backward(fruitGrads[1]);
        assertEquals(2.2, appleGrads[0].item(), 0.0);
        assertEquals(110.00000000000001, appleGrads[1].item(), 0.0);
        assertEquals(3.3000000000000003, orangeGrads[0].item(), 0.0);
        assertEquals(165.0, orangeGrads[1].item(), 0.0);
        assertEquals(650.0, taxGrads[1].item(), 0.0);
    }

    @Test
    void applesWithSquaredErrorAgainst219() {
        // what ./nnj apple shows: L = ½(y − t)², dL/dy = y − t ≈ 1, so the gradients are those of backward(1)
        MulGate mulApple = new MulGate();
        MulGate mulTax = new MulGate();
        SquaredError loss = new SquaredError();
        Tensor y = mulTax.forward(mulApple.forward(scalar(100), scalar(2)), scalar(1.1));
        assertEquals(0.5, loss.forward(y, scalar(219)), 1e-12);
        Tensor dy = loss.backward();
        assertEquals(1.0, dy.item(), 1e-12);
        Tensor[] taxGrads = mulTax.backward(dy);
        Tensor[] appleGrads = mulApple.backward(taxGrads[0]);
        assertEquals(2.2, appleGrads[0].item(), 1e-12);
        assertEquals(110.0, appleGrads[1].item(), 1e-10);
        assertEquals(200.0, taxGrads[1].item(), 1e-10);
    }

    @Test
    void mulGateGradientsMatchNumericalGradient() {
        Random random = new Random(21);
        Tensor x = Numeric.uniform(be, random, -2, 2, 3, 4);
        Tensor y = Numeric.uniform(be, random, -2, 2, 3, 4);
        Tensor r = Numeric.uniform(be, random, -1, 1, 3, 4);
        MulGate gate = new MulGate();
        gate.forward(x, y);
        Tensor[] grads = gate.backward(r);
        double[] dx = grads[0].toDoubleArray();
        double[] dy = grads[1].toDoubleArray();
        MulGate fresh = new MulGate();
        LayerChecks.assertGradient("MulGate dx", dx, Numeric.gradient(x, () -> be.dot(fresh.forward(x, y), r)));
        LayerChecks.assertGradient("MulGate dy", dy, Numeric.gradient(y, () -> be.dot(fresh.forward(x, y), r)));
    }

    @Test
    void addGateGradientsMatchNumericalGradient() {
        Random random = new Random(22);
        Tensor x = Numeric.uniform(be, random, -2, 2, 2, 3);
        Tensor y = Numeric.uniform(be, random, -2, 2, 2, 3);
        Tensor r = Numeric.uniform(be, random, -1, 1, 2, 3);
        AddGate gate = new AddGate();
        gate.forward(x, y);
        Tensor[] grads = gate.backward(r);
        double[] dx = grads[0].toDoubleArray();
        double[] dy = grads[1].toDoubleArray();
        assertNotSame(grads[0], r);
        assertNotSame(grads[0], grads[1]);
        AddGate fresh = new AddGate();
        LayerChecks.assertGradient("AddGate dx", dx, Numeric.gradient(x, () -> be.dot(fresh.forward(x, y), r)));
        LayerChecks.assertGradient("AddGate dy", dy, Numeric.gradient(y, () -> be.dot(fresh.forward(x, y), r)));
    }

    @Test
    void gatesLeaveTheirArgumentsAlone() {
        Tensor x = be.fromArray(F64, Shape.of(2), 3, 4);
        Tensor y = be.fromArray(F64, Shape.of(2), 5, 6);
        Tensor dout = be.fromArray(F64, Shape.of(2), 7, 8);
        MulGate mul = new MulGate();
        mul.forward(x, y);
        Tensor[] g = mul.backward(dout);
        assertArrayEquals(new double[] {35, 48}, g[0].toDoubleArray(), 0.0);
        assertArrayEquals(new double[] {21, 32}, g[1].toDoubleArray(), 0.0);
        AddGate add = new AddGate();
        assertArrayEquals(new double[] {8, 10}, add.forward(x, y).toDoubleArray(), 0.0);
        add.backward(dout);
        assertArrayEquals(new double[] {3, 4}, x.toDoubleArray(), 0.0);
        assertArrayEquals(new double[] {5, 6}, y.toDoubleArray(), 0.0);
        assertArrayEquals(new double[] {7, 8}, dout.toDoubleArray(), 0.0);
    }

    @Test
    void backwardBeforeForwardThrows() {
        assertThrows(IllegalStateException.class, () -> new MulGate().backward(scalar(1)));
        assertThrows(IllegalStateException.class, () -> new AddGate().backward(scalar(1)));
    }

    @Test
    void differentShapesAreRejectedNamingBoth() {
        Tensor a = be.zeros(F64, Shape.of(2));
        Tensor b = be.zeros(F64, Shape.of(3));
        ShapeException mul = assertThrows(ShapeException.class, () -> new MulGate().forward(a, b));
        assertTrue(mul.getMessage().contains("MulGate") && mul.getMessage().contains("(2)")
                && mul.getMessage().contains("(3)"), mul.getMessage());
        ShapeException add = assertThrows(ShapeException.class, () -> new AddGate().forward(a, b));
        assertTrue(add.getMessage().contains("AddGate"), add.getMessage());
        MulGate gate = new MulGate();
        gate.forward(a, a);
        ShapeException back = assertThrows(ShapeException.class, () -> gate.backward(b));
        assertTrue(back.getMessage().contains("(3)") && back.getMessage().contains("(2)"), back.getMessage());
    }
}
