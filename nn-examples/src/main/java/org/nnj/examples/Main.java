package org.nnj.examples;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nnj.api.NnjException;
import org.nnj.api.TrainingDivergedException;
import org.nnj.core.io.IoErrors;
import org.slf4j.LoggerFactory;

/**
 * The {@code nnj} command line: {@code train}, {@code apple}, {@code gradcheck}, {@code compare-optimizers},
 * {@code list}, {@code help}.
 *
 * <p>{@link #run} does all the work and returns the exit code, so tests call it in-process; only {@link #main} exits.
 * Exit codes: 0 success, 1 a check failed (or training diverged), 2 bad usage or bad input. Errors are one line on
 * {@code err}; {@code --verbose} (anywhere on the line) adds the stack trace and lowers nnj's log level to DEBUG.
 */
public final class Main {
    private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

    static {
        for (Command c : List.of(new TrainCommand(), new AppleCommand(), new GradCheckCommand(),
                new CompareOptimizersCommand(), new BenchCommand(), new ListCommand(),
                new PredictCommand(), new EvaluateCommand(), new SummaryCommand())) {
            COMMANDS.put(c.name(), c);
        }
    }

    private Main() {
    }

    /** Runs {@code nnj} and exits with its exit code. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs one {@code nnj} command.
     *
     * @param args the command line, e.g. {@code train --epochs 2}
     * @param out  where results go
     * @param err  where errors go (one line each)
     * @return the exit code: 0 success, 1 a check failed, 2 bad usage or bad input
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> rest = new ArrayList<>();
        boolean verbose = false;
        boolean help = false;
        for (String a : args) {
            switch (a) {
                case "--verbose": case "-v":
                    verbose = true;
                    break;
                case "--help": case "-h":
                    help = true;
                    break;
                default:
                    rest.add(a);
            }
        }
        if (rest.isEmpty() || rest.get(0).equals("help")) {
            Command topic = rest.size() > 1 ? COMMANDS.get(rest.get(1)) : null;
            if (rest.size() > 1 && topic == null) {
                err.println("nnj help: unknown command '" + rest.get(1) + "'; known commands: "
                        + String.join(", ", COMMANDS.keySet()));
                return ExitCode.BAD_INPUT;
            }
            out.print(topic != null ? topic.usage() : usage());
            return ExitCode.OK;
        }
        Command command = COMMANDS.get(rest.get(0));
        if (command == null) {
            err.println("nnj: unknown command '" + rest.get(0) + "'; known commands: "
                    + String.join(", ", COMMANDS.keySet()) + ", help");
            return ExitCode.BAD_INPUT;
        }
        if (help) {
            out.print(command.usage());
            return ExitCode.OK;
        }
        Level before = setNnjLogLevel(verbose ? Level.DEBUG : null);
        String prefix = "nnj " + command.name() + ": ";
        try {
            return command.run(rest.subList(1, rest.size()).toArray(new String[0]), out, err);
        } catch (UsageException e) {
            err.println(prefix + e.getMessage() + " (see ./nnj help " + command.name() + ")");
            return fail(e, verbose, err, ExitCode.BAD_INPUT);
        } catch (TrainingDivergedException e) {
            err.println(prefix + oneLine(e));
            return fail(e, verbose, err, ExitCode.FAILED);
        } catch (NnjException | IllegalArgumentException | UncheckedIOException | IOException e) {
            // data files, provider names, settings, shapes, files we cannot write: the input is at fault
            err.println(prefix + oneLine(e));
            return fail(e, verbose, err, ExitCode.BAD_INPUT);
        } catch (OutOfMemoryError e) {
            err.println(prefix + "out of memory (Java heap " + Runtime.getRuntime().maxMemory() / (1 << 20)
                    + " MB): give the JVM more, e.g. JAVA_OPTS=-Xmx2g ./nnj " + command.name());
            return fail(e, verbose, err, ExitCode.FAILED);
        } catch (Exception e) {
            err.println(prefix + "internal error: " + e.getClass().getName() + ": " + oneLine(e)
                    + (verbose ? "" : " (run with --verbose for the stack trace)"));
            return fail(e, verbose, err, ExitCode.FAILED);
        } finally {
            setNnjLogLevel(before);
        }
    }

    private static int fail(Throwable e, boolean verbose, PrintStream err, int code) {
        if (verbose) {
            e.printStackTrace(err);
        }
        return code;
    }

    /** The message on one line; the exception's class name if it has none. */
    static String oneLine(Throwable e) {
        if (e instanceof FileSystemException f && f.getFile() != null) {
            return IoErrors.describe(f); // the JDK's message is often the bare path
        }
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return m.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    /** Sets the level of the {@code org.nnj} loggers if Logback is the SLF4J backend; returns the previous level. */
    private static Level setNnjLogLevel(Level level) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext)) {
            return null;
        }
        ch.qos.logback.classic.Logger logger = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("org.nnj");
        Level old = logger.getLevel();
        if (level != null || old != null) {
            logger.setLevel(level);
        }
        return old;
    }

    /** The text of {@code nnj help}. */
    static String usage() {
        StringBuilder b = new StringBuilder();
        b.append("nnj - neural networks in Java, trained by error backpropagation\n\n");
        b.append("usage: ./nnj <command> [options] [--verbose]\n\n");
        b.append("commands:\n");
        for (Command c : COMMANDS.values()) {
            b.append(String.format("  %-19s %s%n", c.name(), c.summary()));
        }
        b.append(String.format("  %-19s %s%n", "help", "this text; 'help <command>' or '<command> --help' for its options"));
        b.append("\nexit codes: 0 success, 1 a check failed or training diverged, 2 bad usage or bad input\n");
        return b.toString();
    }
}
