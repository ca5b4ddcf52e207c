package org.nnj.examples;

import java.io.PrintStream;

/** One subcommand of {@code nnj}. */
interface Command {

    /** The word that selects it, e.g. {@code train}. */
    String name();

    /** One line for the command list of {@code nnj help}. */
    String summary();

    /** The usage text of {@code nnj <name> --help}: a synopsis line and one line per option. */
    String usage();

    /**
     * Runs the command.
     *
     * @param args the arguments after the command word, {@code --verbose} and {@code --help} already removed
     * @return the exit code
     * @throws UsageException if the arguments are wrong
     */
    int run(String[] args, PrintStream out, PrintStream err) throws Exception;
}
