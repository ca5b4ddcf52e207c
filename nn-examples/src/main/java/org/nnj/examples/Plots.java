package org.nnj.examples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.nnj.core.EpochMetrics;

/**
 * PNG charts drawn with JFreeChart, headless: the learning curves of {@code train --plot} and the loss curves of
 * {@code compare-optimizers --plot}. Files are written beside their target and moved over it, so an existing file is
 * replaced whole or not at all.
 */
final class Plots {
    static {
        // No display is needed, nor wanted: draw into images only. This comes first, before any field: the first
        // java.awt class loaded (Color below) fixes headless or not for the JVM's life, and with DISPLAY set to a
        // dead X server drawing would then fail.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    static final int WIDTH = 900;
    static final int HEIGHT = 650;
    /** Distinct colours for series, in order (blue, orange, green, red, purple, brown, pink, grey). */
    static final List<Color> PALETTE = List.of(new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
            new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f));
    private static final Color GRID = new Color(0xd0d0d0);

    private Plots() {
    }

    /**
     * Checks that a plot can be written to {@code text}, before any work is done.
     *
     * @param option the option that named the file, for messages
     * @return the path
     * @throws UsageException if the name is empty or does not end in {@code .png}
     * @throws IOException    if the directory is missing, or not writable, or the name is a directory
     */
    static Path checkWritable(String text, String option) throws IOException {
        if (text.isBlank() || !text.toLowerCase(Locale.ROOT).endsWith(".png")) {
            throw new UsageException("option " + option + ": expected a file name ending in .png, found "
                    + (text.isBlank() ? "nothing" : "'" + text + "'"));
        }
        Path target = Path.of(text);
        Path abs = target.toAbsolutePath().normalize();
        Path dir = abs.getParent();
        if (Files.isDirectory(abs)) {
            throw new IOException(option + " " + target + ": expected a file name, found a directory");
        }
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IOException(option + " " + target + ": expected an existing directory " + dir + ", found "
                    + (dir != null && Files.exists(dir) ? "a file" : "nothing"));
        }
        AtomicFile.checkWritable(target, option);
        return target;
    }

    /**
     * Learning curves: the mean training loss per epoch above, the training and test accuracy per epoch below, on a
     * shared epoch axis.
     */
    static JFreeChart learningCurves(List<EpochMetrics> history, String title) {
        XYSeries loss = new XYSeries("training loss");
        XYSeries train = new XYSeries("training accuracy");
        XYSeries test = new XYSeries("test accuracy");
        for (EpochMetrics m : history) {
            addFinite(loss, m.epoch(), m.loss());
            addFinite(train, m.epoch(), m.trainAcc());
            addFinite(test, m.epoch(), m.testAcc());
        }
        NumberAxis epochs = new NumberAxis("epoch");
        epochs.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        epochs.setAutoRangeIncludesZero(false);
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(epochs);
        plot.setGap(12);
        plot.add(subplot(new XYSeriesCollection(loss), "loss", 0, history.size()), 1);
        XYSeriesCollection accuracies = new XYSeriesCollection(train);
        accuracies.addSeries(test);
        plot.add(subplot(accuracies, "accuracy", 1, history.size()), 1);
        return chart(title, plot);
    }

    /**
     * The loss per iteration of each optimizer, one line each, as the book's figure 6-9. With 100 iterations or more
     * each point is the mean of the 21 iterations around it (fewer at the ends), as the raw losses of single batches
     * hide the curves in noise; the CSV keeps the raw values. The loss axis is logarithmic. A diverged optimizer's line
     * stops where its loss did.
     */
    static JFreeChart optimizerLosses(List<String> names, double[][] losses, String title) {
        int iterations = losses.length == 0 ? 0 : losses[0].length;
        int half = iterations >= 100 ? 10 : 0;
        XYSeriesCollection data = new XYSeriesCollection();
        for (int k = 0; k < names.size(); k++) {
            XYSeries s = new XYSeries(names.get(k));
            for (int i = 0; i < iterations; i++) {
                double loss = mean(losses[k], i - half, i + half);
                if (loss > 0) {
                    addFinite(s, i + 1, loss);
                }
            }
            data.addSeries(s);
        }
        NumberAxis x = new NumberAxis("iteration");
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        // a log scale: early spikes (rmsprop's first steps reach tens) would flatten the curves on a linear one, and
        // the differences that matter at the end (0.03 against 0.4) stay visible
        LogAxis y = new LogAxis((half > 0 ? "loss (mean of " + (2 * half + 1) + " iterations)" : "loss")
                + ", log scale");
        y.setSmallestValue(1e-6);
        y.setAutoTickUnitSelection(false);
        y.setTickUnit(new NumberTickUnit(1)); // a labelled tick at each power of ten (the unit is the exponent's)
        y.setMinorTickCount(10);
        y.setMinorTickMarksVisible(true);
        y.setNumberFormatOverride(new DecimalFormat("0.######", DecimalFormatSymbols.getInstance(Locale.ROOT)));
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        style(renderer, names.size(), 0, 1.5f);
        XYPlot plot = new XYPlot(data, x, y, renderer);
        grid(plot);
        return chart(title, plot);
    }

    /**
     * Writes {@code chart} as a {@code width} x {@code height} PNG through a temporary file beside {@code target}.
     *
     * @param option the option that named the file, for messages
     */
    static void writePng(JFreeChart chart, Path target, int width, int height, String option) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        Path temp;
        try {
            temp = AtomicFile.createTemp(abs);
        } catch (IOException e) {
            throw AtomicFile.cannotWrite(option, target, abs.getParent(), e);
        }
        try {
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.WRITE)) {
                ChartUtils.writeChartAsPNG(out, chart, width, height);
            } catch (IOException e) {
                throw AtomicFile.cannotWrite(option, target, abs.getParent(), e);
            }
            AtomicFile.moveIntoPlace(temp, abs);
        } finally {
            AtomicFile.release(temp);
        }
    }

    private static XYPlot subplot(XYSeriesCollection data, String label, int firstColour, int points) {
        NumberAxis y = new NumberAxis(label);
        y.setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, points <= 50);
        style(renderer, data.getSeriesCount(), firstColour, 2f);
        XYPlot plot = new XYPlot(data, null, y, renderer);
        grid(plot);
        return plot;
    }

    private static void style(XYLineAndShapeRenderer renderer, int series, int firstColour, float lineWidth) {
        for (int s = 0; s < series; s++) {
            renderer.setSeriesPaint(s, PALETTE.get((firstColour + s) % PALETTE.size()));
            renderer.setSeriesStroke(s, new BasicStroke(lineWidth));
            renderer.setSeriesShape(s, new Ellipse2D.Double(-3.5, -3.5, 7, 7));
        }
    }

    private static void grid(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
    }

    private static JFreeChart chart(String title, org.jfree.chart.plot.Plot plot) {
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 16), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        return chart;
    }

    private static void addFinite(XYSeries s, double x, double y) {
        if (Double.isFinite(y)) {
            s.add(x, y);
        }
    }

    /** The mean of {@code v[from..to]} clipped to the array; NaN if any of them is not finite. */
    private static double mean(double[] v, int from, int to) {
        int a = Math.max(0, from);
        int b = Math.min(v.length - 1, to);
        double sum = 0;
        for (int i = a; i <= b; i++) {
            sum += v[i];
        }
        return sum / (b - a + 1);
    }
}
