package org.nnj.examples;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The parsed {@code --name value} (or {@code --name=value}) options of one command. Every option takes a value except
 * flags, which stand alone ({@code --batchnorm}) or take an explicit {@code =true} / {@code =false}; an unknown
 * option, a missing value, a repeated option or a stray word is a {@link UsageException}.
 */
final class Options {
    private final String command;
    private final Map<String, String> values;

    private Options(String command, Map<String, String> values) {
        this.command = command;
        this.values = values;
    }

    /**
     * @param known option names without the leading dashes
     * @throws UsageException naming the offending word and the known options
     */
    static Options parse(String command, String[] args, Set<String> known) {
        return parse(command, args, known, Set.of());
    }

    /**
     * @param known options that take a value, without the leading dashes
     * @param flags options that take none ({@code --name}, or {@code --name=true|false})
     * @throws UsageException naming the offending word and the known options
     */
    static Options parse(String command, String[] args, Set<String> known, Set<String> flags) {
        Set<String> all = new TreeSet<>(known);
        all.addAll(flags);
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageException("unexpected argument '" + arg + "'; options look like --name value");
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (!all.contains(name)) {
                throw new UsageException("unknown option --" + name + "; known options: "
                        + (all.isEmpty() ? "none" : "--" + String.join(", --", all)));
            }
            if (flags.contains(name)) {
                if (value == null) {
                    value = "true";
                } else if (!value.equals("true") && !value.equals("false")) {
                    throw new UsageException("option --" + name + " is a flag: give it alone, or as --" + name
                            + "=true or --" + name + "=false; found '" + value + "'");
                }
            } else if (value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException("option --" + name + " needs a value");
                }
                value = args[++i];
            }
            if (values.put(name, value) != null) {
                throw new UsageException("option --" + name + " is given twice");
            }
        }
        return new Options(command, values);
    }

    /** The command these options belong to. */
    String command() {
        return command;
    }

    /** True if the option was given. */
    boolean has(String name) {
        return values.containsKey(name);
    }

    /** The option's text, or {@code fallback}. */
    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    /** An integer in {@code [min, max]}, or {@code fallback} if absent. */
    int getInt(String name, int fallback, int min, int max) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        int n;
        try {
            n = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("option --" + name + ": expected an integer, found '" + v + "'");
        }
        if (n < min || n > max) {
            throw new UsageException("option --" + name + ": expected an integer from " + min + " to " + max
                    + ", found " + n);
        }
        return n;
    }

    /** A flag's value: true if given alone or as {@code =true}, {@code fallback} if absent. */
    boolean getFlag(String name, boolean fallback) {
        String v = values.get(name);
        return v == null ? fallback : v.equals("true");
    }

    /**
     * A comma-separated list of integers in {@code [min, max]} ({@code 100,100,100}), or {@code fallback} if absent.
     */
    int[] getIntList(String name, int[] fallback, int min, int max) {
        String v = values.get(name);
        if (v == null) {
            return fallback.clone();
        }
        String[] parts = v.split(",", -1);
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new UsageException("option --" + name + ": expected integers separated by commas (e.g. 100,100),"
                        + " found '" + v + "'");
            }
            if (out[i] < min || out[i] > max) {
                throw new UsageException("option --" + name + ": expected integers from " + min + " to " + max
                        + ", found " + out[i]);
            }
        }
        return out;
    }

    /** A finite number of at least 0, or {@code fallback} if absent. */
    double getNonNegative(String name, double fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        double d;
        try {
            d = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("option --" + name + ": expected a number, found '" + v + "'");
        }
        if (!(d >= 0) || !Double.isFinite(d)) {
            throw new UsageException("option --" + name + ": expected a finite number of at least 0, found " + v);
        }
        return d;
    }

    /** A long, or {@code fallback} if absent. */
    long getLong(String name, long fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("option --" + name + ": expected an integer, found '" + v + "'");
        }
    }

    /** A finite number greater than 0, or {@code fallback} if absent. */
    double getPositive(String name, double fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        double d;
        try {
            d = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("option --" + name + ": expected a number, found '" + v + "'");
        }
        if (!(d > 0) || !Double.isFinite(d)) {
            throw new UsageException("option --" + name + ": expected a finite number greater than 0, found " + v);
        }
        return d;
    }
}
