package org.nnj.examples;

import java.util.Locale;
import java.util.Set;
import java.util.function.IntToDoubleFunction;
import org.nnj.api.DataFormatException;
import org.nnj.api.Optimizer;
import org.nnj.api.Settings;
import org.nnj.core.Registry;
import org.nnj.core.io.NetworkSpec;
import org.nnj.optim.LearningRateSchedule;
import org.nnj.optim.Schedules;

/**
 * The optimizer and learning-rate schedule of {@code train}: {@code --optimizer}, {@code --lr},
 * {@code --weight-decay}, {@code --schedule} with {@code --step-size}, {@code --gamma}, {@code --min-lr}; or those of a
 * spec file or checkpoint, with the command line's options on top.
 */
final class OptimizerSpec {
    /** Its options. */
    static final Set<String> OPTIONS = Set.of("optimizer", "lr", "weight-decay", "schedule", "step-size", "gamma",
            "min-lr");
    /** The two-layer net's SGD rate (the book's {@code learning_rate}); other cases take the provider's default. */
    static final double TWO_LAYER_SGD_LR = 0.1;

    final String name;
    private final Settings settings;
    private final String schedule;
    private final Settings scheduleSettings;
    /** Where the schedule comes from, for messages: null for the command line, else a file and key. */
    private final String scheduleSource;

    private OptimizerSpec(String name, Settings settings, String schedule, Settings scheduleSettings,
                          String scheduleSource) {
        this.name = name;
        this.settings = settings;
        this.schedule = schedule;
        this.scheduleSettings = scheduleSettings;
        this.scheduleSource = scheduleSource;
    }

    /**
     * The optimizer and schedule a spec file or a checkpoint names, changed by the options given: {@code --optimizer}
     * replaces the optimizer (keeping its settings only if it names the same one), {@code --lr} and
     * {@code --weight-decay} replace those settings, {@code --schedule} (with its settings) replaces the schedule.
     * Without an optimizer in the spec nor {@code --optimizer}: Adam.
     *
     * @param optimizer the spec's optimizer, or null
     * @param schedule  the spec's schedule (a name and settings), or null
     * @param source    names the spec in messages, e.g. {@code specs/cnn.json: training.schedule}
     */
    static OptimizerSpec parse(Options o, NetworkSpec.Component optimizer, NetworkSpec.Component schedule,
                               String source) {
        String fallback = optimizer == null ? "adam" : optimizer.provider().trim().toLowerCase(Locale.ROOT);
        String name = o.get("optimizer", fallback).trim().toLowerCase(Locale.ROOT);
        Settings s = optimizer != null && name.equals(fallback) ? optimizer.settings() : Settings.empty();
        if (o.has("lr")) {
            s = s.with("lr", o.getPositive("lr", 0));
        }
        if (o.has("weight-decay")) {
            s = s.with("weight_decay", o.getNonNegative("weight-decay", 0));
        }
        OptimizerSpec cli = parse(o, "spec");
        if (cli.schedule != null || schedule == null) {
            return new OptimizerSpec(name, s, cli.schedule, cli.scheduleSettings, null);
        }
        return new OptimizerSpec(name, s, schedule.provider().trim().toLowerCase(Locale.ROOT), schedule.settings(),
                source);
    }

    /** The optimizer as a spec names it: what a saved run records. */
    NetworkSpec.Component component() {
        return new NetworkSpec.Component(name, settings);
    }

    /** The schedule as a spec names it ({@code t_max} of cosine left out unless given), or null for none. */
    NetworkSpec.Component scheduleComponent() {
        return schedule == null ? null : new NetworkSpec.Component(schedule, scheduleSettings);
    }

    /**
     * Defaults: SGD with lr 0.1 for the two-layer net (the book's), Adam with its provider's default rate (0.001) for
     * {@code mlp} and {@code cnn}; without {@code --lr}, any other optimizer takes its provider's default rate.
     */
    static OptimizerSpec parse(Options o, String model) {
        boolean twoLayer = model.equals("two-layer");
        String name = o.get("optimizer", twoLayer ? "sgd" : "adam").trim().toLowerCase(Locale.ROOT);
        Settings s = Settings.empty();
        if (o.has("lr")) {
            s = s.with("lr", o.getPositive("lr", 0));
        } else if (twoLayer && name.equals("sgd")) {
            s = s.with("lr", TWO_LAYER_SGD_LR);
        }
        if (o.has("weight-decay")) {
            s = s.with("weight_decay", o.getNonNegative("weight-decay", 0));
        }
        String schedule = o.has("schedule") ? o.get("schedule", "").trim().toLowerCase(Locale.ROOT) : null;
        Settings ss = Settings.empty();
        if (o.has("step-size")) {
            ss = ss.with("step_size", o.getInt("step-size", 1, 1, Integer.MAX_VALUE));
        }
        if (o.has("gamma")) {
            ss = ss.with("gamma", o.getPositive("gamma", 0));
        }
        if (o.has("min-lr")) {
            ss = ss.with("min_lr", o.getNonNegative("min-lr", 0));
        }
        if (schedule == null && !ss.asMap().isEmpty()) {
            throw new UsageException("options --step-size, --gamma and --min-lr need --schedule step or cosine");
        }
        return new OptimizerSpec(name, s, schedule, ss, null);
    }

    /**
     * @throws org.nnj.api.UnknownProviderException listing the known optimizers if the name is unknown
     * @throws IllegalArgumentException if a setting is out of the provider's range
     */
    Optimizer create(Registry registry) {
        return registry.optimizer(name, settings);
    }

    /**
     * The schedule for {@code epochs} epochs (cosine's {@code t_max} is the epoch count), or null without
     * {@code --schedule}.
     *
     * @throws IllegalArgumentException naming an unknown schedule or a setting it does not take
     */
    IntToDoubleFunction schedule(Optimizer optimizer, int epochs) {
        if (schedule == null) {
            return null;
        }
        Settings s = scheduleSettings;
        if (schedule.equals("cosine") && !s.has("t_max")) {
            s = s.with("t_max", epochs);
        }
        LearningRateSchedule lrs;
        try {
            lrs = Schedules.create(schedule, optimizer.learningRate(), s);
        } catch (IllegalArgumentException e) {
            if (scheduleSource != null) {
                throw new DataFormatException(scheduleSource + " " + schedule + ": " + e.getMessage());
            }
            throw new UsageException("option --schedule " + schedule + ": " + e.getMessage().replace("step_size",
                    "--step-size").replace("min_lr", "--min-lr").replace("gamma", "--gamma"));
        }
        return lrs::rate;
    }

    /** {@code adam lr 0.001}, with weight decay and schedule when given. */
    String describe(Optimizer optimizer) {
        StringBuilder b = new StringBuilder(name).append(" lr ").append(optimizer.learningRate());
        if (settings.has("weight_decay")) {
            b.append(" weight_decay ").append(settings.getDouble("weight_decay", 0));
        }
        if (schedule != null) {
            b.append(", ").append(schedule).append(" schedule");
            scheduleSettings.asMap().forEach((k, v) -> b.append(' ').append(k).append(' ').append(v));
        }
        return b.toString();
    }
}
