package org.nnj.examples;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Set;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;
import org.nnj.core.Registry;
import org.nnj.layers.AddGate;
import org.nnj.layers.MulGate;
import org.nnj.layers.SquaredError;

/**
 * {@code nnj apple}: the book's computation graph (section 5.4) built from nn-layers' gates in float64 — 2 apples at
 * 100 each with tax 1.1 cost 220 — extended by the loss {@code L = ½(y − t)²} against a true total of 219, itself a
 * small graph of gates, then walked backwards to the gradients of price, count and tax.
 */
final class AppleCommand implements Command {

    @Override
    public String name() {
        return "apple";
    }

    @Override
    public String summary() {
        return "the book's apple computation graph: forward 220, loss 0.5, gradients 2.2, 110, 200";
    }

    @Override
    public String usage() {
        return "usage: ./nnj apple\n\n"
                + "Builds the book's apple example from MulGate/AddGate in float64: price 100, count 2, tax 1.1\n"
                + "(forward 220), loss L = 1/2 (y - t)^2 with t = 219 (0.5), and backward to dprice 2.2,\n"
                + "dcount 110, dtax 200. No options.\n";
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) {
        Options.parse(name(), args, Set.of());
        Backend be = Backends.open(Registry.load(Main.class.getClassLoader()), null, 1);
        try {
            walk(be, out);
        } finally {
            Backends.close(be);
        }
        return ExitCode.OK;
    }

    private static void walk(Backend be, PrintStream out) {
        Tensor price = scalar(be, 100);
        Tensor count = scalar(be, 2);
        Tensor tax = scalar(be, 1.1);
        Tensor truth = scalar(be, 219);

        MulGate mulApple = new MulGate();
        MulGate mulTax = new MulGate();
        out.println("forward (section 5.4: apple price 100, count 2, tax 1.1)");
        Tensor subtotal = mulApple.forward(price, count);
        out.println("  apple total      = price x count        = " + n(price) + " x " + n(count) + " = " + n(subtotal));
        Tensor y = mulTax.forward(subtotal, tax);
        out.println("  y (price paid)   = apple total x tax    = " + n(subtotal) + " x " + n(tax) + " = " + n(y));

        // L = ½ (y − t)² as a graph of gates: diff = y + (−t), square = diff · diff, L = ½ · square.
        Tensor minusT = scalar(be, -truth.item());
        Tensor half = scalar(be, 0.5);
        AddGate addDiff = new AddGate();
        MulGate mulSquare = new MulGate();
        MulGate mulHalf = new MulGate();
        Tensor diff = addDiff.forward(y, minusT);
        Tensor square = mulSquare.forward(diff, diff);
        Tensor loss = mulHalf.forward(half, square);
        out.println("loss against the true total t = " + n(truth));
        out.println("  y - t            = " + n(y) + " - " + n(truth) + " = " + n(diff));
        out.println("  L = 1/2 (y - t)^2 = 1/2 x " + n(square) + " = " + n(loss));
        SquaredError check = new SquaredError();
        double lossCheck = check.forward(y, truth);
        out.println("  (nn-layers' SquaredError agrees: L = " + n(lossCheck) + ")");

        out.println("backward (dL/dL = 1)");
        Tensor one = scalar(be, 1);
        Tensor dSquare = mulHalf.backward(one)[1];
        Tensor[] dBranches = mulSquare.backward(dSquare);
        Tensor dDiff = be.zerosLike(diff);
        be.add(dBranches[0], dBranches[1], dDiff); // diff feeds both inputs of the square: their gradients add
        Tensor dy = addDiff.backward(dDiff)[0];
        out.println("  dL/dy            = 1/2 x 2 (y - t)       = " + n(dy)
                + "   (SquaredError.backward: " + n(check.backward().item()) + ")");
        Tensor[] dTaxGate = mulTax.backward(dy);
        Tensor dSubtotal = dTaxGate[0];
        Tensor dTax = dTaxGate[1];
        out.println("  d apple total    = dL/dy x tax           = " + n(dy) + " x " + n(tax) + " = " + n(dSubtotal));
        out.println("  dtax             = dL/dy x apple total   = " + n(dy) + " x " + n(subtotal) + " = " + n(dTax));
        Tensor[] dAppleGate = mulApple.backward(dSubtotal);
        out.println("  dprice           = d apple total x count = " + n(dSubtotal) + " x " + n(count) + " = "
                + n(dAppleGate[0]));
        out.println("  dcount           = d apple total x price = " + n(dSubtotal) + " x " + n(price) + " = "
                + n(dAppleGate[1]));
        out.println("result: y " + n(y) + ", L " + n(loss) + ", dprice " + n(dAppleGate[0]) + ", dcount "
                + n(dAppleGate[1]) + ", dtax " + n(dTax));
    }

    private static Tensor scalar(Backend be, double v) {
        return be.fromArray(DType.FLOAT64, Shape.scalar(), v);
    }

    private static String n(Tensor t) {
        return n(t.item());
    }

    /**
     * A number to 12 significant digits without trailing zeros: {@code 2.2000000000000006} prints as {@code 2.2},
     * {@code 220.00000000000003} as {@code 220}. Float64 keeps about 16 digits, so 12 hides only the rounding.
     */
    static String n(double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        BigDecimal d = new BigDecimal(v).round(new MathContext(12)).stripTrailingZeros();
        return d.signum() == 0 ? "0" : d.toPlainString();
    }
}
