package org.nnj.core.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import org.nnj.api.DataFormatException;
import org.nnj.api.Optimizer;
import org.nnj.core.EarlyStopping;
import org.nnj.core.EpochMetrics;

/**
 * {@code checkpoint.json}: {@code {"format": "nnj-checkpoint", "version": 2, "epoch": 3, "optimizer": {"class": ...,
 * "learning_rate": 0.001, "counters": {"steps": 90, "Affine1.W/steps": 90}}, "history": [{"epoch": 1, "loss": ...,
 * "train_acc": ..., "test_acc": ..., "seconds": ...}, ...], "early_stopping": {"monitor": "test_acc", "patience": 3,
 * "min_delta": 0, "best": 0.93, "best_epoch": 2, "wait": 1, "stopped": false}, "run": {"dataset": "mnist", ...}}}.
 * Non-finite metrics are written as {@code null}. {@code early_stopping} (with {@code best.safetensors}) and
 * {@code run} (the caller's own string settings, e.g. the command line's data options) are optional; version 1 is
 * version 2 without them, and is still read.
 */
final class CheckpointJson {
    static final String FORMAT = "nnj-checkpoint";
    static final int VERSION = 2;
    private static final Set<String> ES_KEYS = Set.of("monitor", "patience", "min_delta", "best", "best_epoch",
            "wait", "stopped");
    private static final int MAX_BYTES = 1 << 24;

    private CheckpointJson() {
    }

    static String write(int epoch, List<EpochMetrics> history, Optimizer optimizer) {
        return write(epoch, history, optimizer, null, Map.of());
    }

    static String write(int epoch, List<EpochMetrics> history, Optimizer optimizer, EarlyStopping stopping,
                        Map<String, String> run) {
        JsonObject o = new JsonObject();
        o.addProperty("format", FORMAT);
        o.addProperty("version", VERSION);
        o.addProperty("epoch", epoch);
        JsonObject opt = new JsonObject();
        opt.addProperty("class", optimizer.getClass().getName());
        try {
            opt.addProperty("learning_rate", optimizer.learningRate());
        } catch (UnsupportedOperationException e) {
            // no single learning rate to save
        }
        JsonObject counters = new JsonObject();
        optimizer.stateCounters().forEach(counters::addProperty);
        opt.add("counters", counters);
        o.add("optimizer", opt);
        JsonArray h = new JsonArray();
        for (EpochMetrics m : history) {
            JsonObject mo = new JsonObject();
            mo.addProperty("epoch", m.epoch());
            number(mo, "loss", m.loss());
            number(mo, "train_acc", m.trainAcc());
            number(mo, "test_acc", m.testAcc());
            number(mo, "seconds", m.seconds());
            h.add(mo);
        }
        o.add("history", h);
        if (stopping != null) {
            JsonObject es = new JsonObject();
            es.addProperty("monitor", stopping.monitor().label());
            es.addProperty("patience", stopping.patience());
            es.addProperty("min_delta", stopping.minDelta());
            number(es, "best", stopping.best());
            es.addProperty("best_epoch", stopping.bestEpoch());
            es.addProperty("wait", stopping.epochsWithoutImprovement());
            es.addProperty("stopped", stopping.stopped());
            o.add("early_stopping", es);
        }
        if (!run.isEmpty()) {
            JsonObject r = new JsonObject();
            run.forEach(r::addProperty);
            o.add("run", r);
        }
        return Json.write(o);
    }

    private static void number(JsonObject o, String key, double v) {
        if (Double.isFinite(v)) {
            o.addProperty(key, v);
        } else {
            o.add(key, com.google.gson.JsonNull.INSTANCE);
        }
    }

    /** What {@code checkpoint.json} holds besides the history: read before the files it refers to. */
    record Parsed(int epoch, List<EpochMetrics> history, String optimizerClass, OptionalDouble learningRate,
                  Map<String, Long> counters, EarlyStoppingState earlyStopping, Map<String, String> run) {
    }

    /** The saved state of an {@link EarlyStopping}, without its weights. */
    record EarlyStoppingState(EarlyStopping.Monitor monitor, int patience, double minDelta, double best,
                              int bestEpoch, int epochsWithoutImprovement, boolean stopped) {
    }

    static Parsed read(Path file) {
        String source = file.toString();
        String text = AtomicFiles.utf8(AtomicFiles.readAll(file, MAX_BYTES), source);
        JsonObject o = Json.object(Json.parse(text, source), "the checkpoint", source);
        String format = Json.string(Json.required(o, "format", "the checkpoint", source), "\"format\"", source);
        if (!format.equals(FORMAT)) {
            throw new DataFormatException(source + ": expected \"format\": \"" + FORMAT + "\", found " + Json.quote(format));
        }
        long version = Json.integer(Json.required(o, "version", "the checkpoint", source), 0, Integer.MAX_VALUE,
                "\"version\"", source);
        if (version != 1 && version != VERSION) {
            throw new DataFormatException(source + ": unsupported " + FORMAT + " version " + version
                    + "; this nnj reads versions 1 and " + VERSION);
        }
        Json.onlyKeys(o, version == 1 ? Set.of("format", "version", "epoch", "optimizer", "history")
                : Set.of("format", "version", "epoch", "optimizer", "history", "early_stopping", "run"),
                "the checkpoint", source);
        int epoch = (int) Json.integer(Json.required(o, "epoch", "the checkpoint", source), 0, Integer.MAX_VALUE,
                "\"epoch\"", source);
        JsonObject opt = Json.object(Json.required(o, "optimizer", "the checkpoint", source), "\"optimizer\"", source);
        Json.onlyKeys(opt, Set.of("class", "learning_rate", "counters"), "optimizer", source);
        String cls = Json.string(Json.required(opt, "class", "optimizer", source), "optimizer.class", source);
        OptionalDouble lr = OptionalDouble.empty();
        if (opt.has("learning_rate")) {
            lr = OptionalDouble.of(real(opt.get("learning_rate"), "optimizer.learning_rate", source));
        }
        JsonObject co = Json.object(Json.required(opt, "counters", "optimizer", source), "optimizer.counters", source);
        Map<String, Long> counters = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : co.entrySet()) {
            counters.put(e.getKey(), Json.integer(e.getValue(), 0, Long.MAX_VALUE, "optimizer.counters." + e.getKey(),
                    source));
        }
        JsonArray h = Json.array(Json.required(o, "history", "the checkpoint", source), "\"history\"", source);
        if (h.size() > epoch) {
            throw new DataFormatException(source + ": expected at most " + epoch + " history entries, found "
                    + h.size());
        }
        List<EpochMetrics> history = new ArrayList<>();
        for (int i = 0; i < h.size(); i++) {
            String where = "history[" + i + "]";
            JsonObject m = Json.object(h.get(i), where, source);
            Json.onlyKeys(m, Set.of("epoch", "loss", "train_acc", "test_acc", "seconds"), where, source);
            history.add(new EpochMetrics(
                    (int) Json.integer(Json.required(m, "epoch", where, source), 0, Integer.MAX_VALUE, where + ".epoch",
                            source),
                    real(Json.required(m, "loss", where, source), where + ".loss", source),
                    real(Json.required(m, "train_acc", where, source), where + ".train_acc", source),
                    real(Json.required(m, "test_acc", where, source), where + ".test_acc", source),
                    real(Json.required(m, "seconds", where, source), where + ".seconds", source)));
        }
        EarlyStoppingState es = null;
        if (o.has("early_stopping")) {
            es = earlyStopping(Json.object(o.get("early_stopping"), "\"early_stopping\"", source), epoch, source);
        }
        Map<String, String> run = new LinkedHashMap<>();
        if (o.has("run")) {
            JsonObject r = Json.object(o.get("run"), "\"run\"", source);
            for (Map.Entry<String, JsonElement> e : r.entrySet()) {
                String v = Json.string(e.getValue(), "run." + e.getKey(), source);
                if (Json.hasControlCharacter(e.getKey()) || Json.hasControlCharacter(v)) {
                    throw new DataFormatException(source + ": run." + Json.quote(e.getKey())
                            + ": expected text without control characters, found " + Json.quote(v));
                }
                run.put(e.getKey(), v);
            }
        }
        return new Parsed(epoch, history, cls, lr, counters, es, run);
    }

    private static EarlyStoppingState earlyStopping(JsonObject es, int epoch, String source) {
        String where = "early_stopping";
        Json.onlyKeys(es, ES_KEYS, where, source);
        String label = Json.string(Json.required(es, "monitor", where, source), where + ".monitor", source);
        EarlyStopping.Monitor monitor;
        try {
            monitor = EarlyStopping.Monitor.parse(label);
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(source + ": " + where + ".monitor: expected loss, train_acc or test_acc, "
                    + "found " + Json.quote(label));
        }
        int patience = (int) Json.integer(Json.required(es, "patience", where, source), 0, Integer.MAX_VALUE,
                where + ".patience", source);
        double minDelta = real(Json.required(es, "min_delta", where, source), where + ".min_delta", source);
        if (!(minDelta >= 0) || Double.isInfinite(minDelta)) {
            throw new DataFormatException(source + ": expected " + where + ".min_delta to be finite and at least 0, "
                    + "found " + minDelta);
        }
        double best = real(Json.required(es, "best", where, source), where + ".best", source);
        int bestEpoch = (int) Json.integer(Json.required(es, "best_epoch", where, source), 0, epoch,
                where + ".best_epoch", source);
        if ((bestEpoch == 0) != Double.isNaN(best) || Double.isInfinite(best)) {
            throw new DataFormatException(source + ": expected " + where + ".best to be a finite number exactly when "
                    + where + ".best_epoch is above 0, found best " + best + " at epoch " + bestEpoch);
        }
        int wait = (int) Json.integer(Json.required(es, "wait", where, source), 0, epoch, where + ".wait", source);
        JsonElement st = Json.required(es, "stopped", where, source);
        if (!st.isJsonPrimitive() || !st.getAsJsonPrimitive().isBoolean()) {
            throw new DataFormatException(source + ": expected " + where + ".stopped to be true or false, found "
                    + Json.describe(st));
        }
        return new EarlyStoppingState(monitor, patience, minDelta, best, bestEpoch, wait, st.getAsBoolean());
    }

    private static double real(JsonElement e, String where, String source) {
        if (e != null && e.isJsonNull()) {
            return Double.NaN;
        }
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new DataFormatException(source + ": expected " + where + " to be a number, found " + Json.describe(e));
        }
        try {
            return Double.parseDouble(e.getAsString());
        } catch (NumberFormatException x) {
            throw new DataFormatException(source + ": expected " + where + " to be a number, found " + e.getAsString());
        }
    }
}
