package org.nnj.examples;

import java.io.Console;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import org.nnj.core.EpochMetrics;
import org.nnj.core.TrainingListener;
import org.slf4j.LoggerFactory;

/**
 * What a training command prints and draws, from its {@code --quiet} and {@code --plot FILE.png} options and from
 * {@code --verbose} (which {@link Main} takes off the line and turns into DEBUG logging of {@code org.nnj}):
 * <ul>
 *   <li>normal: the header and one line per epoch, with a {@link ProgressBar} during each epoch when stdout is a
 *       terminal;
 *   <li>{@code --quiet}: no header, no epoch lines, no bar; the command prints its final summary only;
 *   <li>{@code --verbose}: the epoch lines without a bar (the log lines on stderr would tear it), plus the library's
 *       debug log.
 * </ul>
 * The environment variable {@value #PROGRESS_ENV} (or the system property {@value #PROGRESS_PROPERTY}) set to
 * {@code 1} or {@code 0} forces the bar on or off, e.g. to see it through a pipe.
 */
final class RunOutput {
    static final String QUIET = "quiet";
    static final String PLOT = "plot";
    /** The options that take no value. */
    static final Set<String> FLAGS = Set.of(QUIET);
    static final String PROGRESS_ENV = "NNJ_PROGRESS";
    static final String PROGRESS_PROPERTY = "nnj.progress";
    private static final TrainingListener NONE = new TrainingListener() {
    };

    private final PrintStream out;
    private final PrintStream info;
    private final boolean progress;
    private final Path plot;
    private ProgressBar bar;

    private RunOutput(PrintStream out, boolean quiet, boolean progress, Path plot) {
        this.out = out;
        this.info = quiet ? new PrintStream(OutputStream.nullOutputStream()) : out;
        this.progress = progress;
        this.plot = plot;
    }

    /**
     * Reads {@code --quiet} and {@code --plot}, and checks at once that the plot's file can be written, so that a bad
     * path fails before any training.
     *
     * @throws UsageException if {@code --plot} does not name a {@code .png} file
     * @throws IOException    if the plot's directory is missing or not writable
     */
    static RunOutput of(Options o, PrintStream out) throws IOException {
        boolean quiet = o.getFlag(QUIET, false);
        Path plot = o.has(PLOT) ? Plots.checkWritable(o.get(PLOT, ""), "--" + PLOT) : null;
        String forced = System.getProperty(PROGRESS_PROPERTY, System.getenv(PROGRESS_ENV));
        boolean verbose = LoggerFactory.getLogger("org.nnj").isDebugEnabled();
        return new RunOutput(out, quiet, progressWanted(quiet, verbose, forced, out == System.out && isTerminal()),
                plot);
    }

    /**
     * Whether to draw the bar: never when quiet or verbose; otherwise as forced ({@code 1|true|on},
     * {@code 0|false|off}), else when stdout is a terminal.
     */
    static boolean progressWanted(boolean quiet, boolean verbose, String forced, boolean terminal) {
        if (quiet || verbose) {
            return false;
        }
        String f = forced == null ? "" : forced.trim().toLowerCase(Locale.ROOT);
        if (List.of("1", "true", "on", "yes").contains(f)) {
            return true;
        }
        if (List.of("0", "false", "off", "no").contains(f)) {
            return false;
        }
        return terminal;
    }

    /**
     * True if this process talks to a terminal: a console (stdin and stdout not redirected) on Java 17 to 21; from
     * Java 22 on, where a console exists even when redirected, its {@code isTerminal()} too. {@code TERM=dumb} is no
     * terminal for a bar.
     */
    static boolean isTerminal() {
        Console console = System.console();
        if (console == null || "dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true; // before Java 22: a console means a terminal
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /** Where the header and the per-epoch lines go: stdout, or nowhere when quiet. */
    PrintStream info() {
        return info;
    }

    /** True if a progress bar will be drawn. */
    boolean progress() {
        return progress;
    }

    /** A {@link ProgressBar} for steps of {@code batchSize} images if one is wanted, else a listener that does nothing. */
    TrainingListener progress(int batchSize) {
        if (!progress) {
            return NONE;
        }
        bar = new ProgressBar(out, System::nanoTime, batchSize, columns());
        return bar;
    }

    /** Runs {@code work} (the training) and blanks the bar's line if it ends by an exception, so the error line is clean. */
    <T> T during(Supplier<T> work) {
        boolean ok = false;
        try {
            T result = work.get();
            ok = true;
            return result;
        } finally {
            if (!ok && bar != null) {
                bar.clear();
            }
        }
    }

    /** The {@code --plot} file, or null. */
    Path plot() {
        return plot;
    }

    /** Draws the learning curves into the {@code --plot} file, if one was given. */
    void plot(List<EpochMetrics> history, String title) throws IOException {
        if (plot != null) {
            Plots.writePng(Plots.learningCurves(history, title), plot, Plots.WIDTH, Plots.HEIGHT, "--" + PLOT);
        }
    }

    /** The terminal's width from {@code COLUMNS} if the shell exports it, else 80. */
    private static int columns() {
        try {
            int c = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "80").trim());
            return c >= 40 ? Math.min(c, 200) : 80;
        } catch (NumberFormatException e) {
            return 80;
        }
    }
}
