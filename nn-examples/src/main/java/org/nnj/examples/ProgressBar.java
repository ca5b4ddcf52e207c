package org.nnj.examples;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.nnj.core.EpochMetrics;
import org.nnj.core.TrainingListener;

/**
 * A one-line progress bar for the current epoch, redrawn in place with {@code \r} on a terminal:
 * {@code epoch  3/17 [#########...........]  45/80  loss 0.3121  3000 img/s  0:01 left}, where the loss is the mean
 * over the epoch's batches so far, the rate counts training images per second since the epoch began and the time
 * left is that of the epoch's remaining batches at that rate. After the last batch it says {@code evaluating} while
 * the accuracies are measured; at the end of the epoch it blanks its line, so that the epoch's log line, printed by
 * the next listener, takes its place.
 *
 * <p>It redraws at most once per {@link #MIN_REDRAW_NANOS} (and always after the first and last batch), so its cost
 * per training step is one clock read and a comparison.
 */
final class ProgressBar implements TrainingListener {
    /** At most ten redraws per second. */
    static final long MIN_REDRAW_NANOS = 100_000_000L;
    private static final int MIN_BAR = 10;
    private static final int MAX_BAR = 30;

    private final PrintStream out;
    private final LongSupplier clock;
    private final int batchSize;
    private final int width;
    private int epochs;
    private int steps;
    private long epochStart;
    private double lossSum;
    private boolean drawnThisEpoch;
    private long lastDraw;
    private int shown;

    /**
     * @param out       the terminal
     * @param clock     nanoseconds, e.g. {@code System::nanoTime}
     * @param batchSize images per step, for the rate
     * @param width     the terminal's columns; the line stays shorter than that
     */
    ProgressBar(PrintStream out, LongSupplier clock, int batchSize, int width) {
        this.out = out;
        this.clock = clock;
        this.batchSize = batchSize;
        this.width = width;
    }

    @Override
    public void onStart(int epochs, int stepsPerEpoch) {
        this.epochs = epochs;
        this.steps = stepsPerEpoch;
        this.epochStart = clock.getAsLong();
    }

    @Override
    public void onStep(int epoch, int step, double loss) {
        if (step == 1) {
            lossSum = 0;
            drawnThisEpoch = false;
        }
        lossSum += loss;
        long now = clock.getAsLong();
        if (!drawnThisEpoch || step == steps || now - lastDraw >= MIN_REDRAW_NANOS) {
            draw(render(epoch, epochs, step, steps, lossSum / step, (long) step * batchSize, now - epochStart, width));
            lastDraw = now;
            drawnThisEpoch = true;
        }
    }

    @Override
    public void onEpoch(EpochMetrics metrics) {
        clear();
        epochStart = clock.getAsLong();
    }

    /** Blanks the bar's line, if one is shown, and puts the cursor at its start. */
    void clear() {
        if (shown > 0) {
            out.print("\r" + " ".repeat(shown) + "\r");
            out.flush();
            shown = 0;
        }
    }

    private void draw(String line) {
        // pad with blanks over what is left of a longer previous line
        out.print("\r" + line + " ".repeat(Math.max(0, shown - line.length())));
        out.flush();
        shown = Math.max(shown, line.length());
    }

    /**
     * The bar's text, without {@code \r}: shorter than {@code width} columns (cut if need be, as a line that wraps
     * cannot be redrawn); the bar itself is left out if fewer than ten columns remain for it.
     *
     * @param images  training images of this epoch so far
     * @param elapsed nanoseconds since the epoch began
     */
    static String render(int epoch, int epochs, int step, int steps, double meanLoss, long images, long elapsed,
            int width) {
        double seconds = elapsed / 1e9;
        String count = String.format(Locale.ROOT, "%" + digits(steps) + "d/%d", step, steps);
        String rate = seconds > 0 ? String.format(Locale.ROOT, "%5.0f img/s", images / seconds) : "    - img/s";
        String left = step >= steps ? "evaluating"
                : seconds > 0 ? duration(seconds / step * (steps - step)) + " left" : "- left";
        String head = String.format(Locale.ROOT, "epoch %2d/%d ", epoch, epochs);
        String tail = String.format(Locale.ROOT, "  %s  loss %.4f  %s  %s", count, meanLoss, rate, left);
        // the bar's width depends only on the epoch and step counts, so that it does not jitter as the numbers change
        int usual = String.format(Locale.ROOT, "  %s  loss 0.0000  99999 img/s  evaluating", count).length();
        int room = Math.min(MAX_BAR, width - 1 - head.length() - 2 - Math.max(usual, tail.length()));
        if (room < MIN_BAR) {
            String line = head + tail.substring(2);
            return line.length() < width ? line : line.substring(0, width - 1); // a wrapped line cannot be redrawn
        }
        int filled = (int) ((long) room * step / steps);
        return head + "[" + "#".repeat(filled) + ".".repeat(room - filled) + "]" + tail;
    }

    /** {@code m:ss}, or {@code h:mm:ss} from an hour on. */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    private static int digits(int n) {
        return Integer.toString(n).length();
    }
}
