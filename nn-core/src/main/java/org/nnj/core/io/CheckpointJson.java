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
import org.nnj.api.Tensor;
import org.nnj.core.EpochMetrics;
import org.nnj.core.Network;

/**
 * {@code checkpoint.json}: {@code {"format": "nnj-checkpoint", "version": 1, "epoch": 3, "optimizer": {"class": ...,
 * "learning_rate": 0.001, "counters": {"steps": 90, "Affine1.W/steps": 90}}, "history": [{"epoch": 1, "loss": ...,
 * "train_acc": ..., "test_acc": ..., "seconds": ...}, ...]}}. Non-finite metrics are written as {@code null}.
 */
final class CheckpointJson {
    static final String FORMAT = "nnj-checkpoint";
    static final int VERSION = 1;
    private static final int MAX_BYTES = 1 << 24;

    private CheckpointJson() {
    }

    static String write(int epoch, List<EpochMetrics> history, Optimizer optimizer) {
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
        return Json.write(o);
    }

    private static void number(JsonObject o, String key, double v) {
        if (Double.isFinite(v)) {
            o.addProperty(key, v);
        } else {
            o.add(key, com.google.gson.JsonNull.INSTANCE);
        }
    }

    static Checkpoint read(Path file, Network network, NetworkSpec spec, Map<String, Tensor> optimizerState,
                           Path optimizerFile) {
        String source = file.toString();
        String text = AtomicFiles.utf8(AtomicFiles.readAll(file, MAX_BYTES), source);
        JsonObject o = Json.object(Json.parse(text, source), "the checkpoint", source);
        String format = Json.string(Json.required(o, "format", "the checkpoint", source), "\"format\"", source);
        if (!format.equals(FORMAT)) {
            throw new DataFormatException(source + ": expected \"format\": \"" + FORMAT + "\", found " + Json.quote(format));
        }
        long version = Json.integer(Json.required(o, "version", "the checkpoint", source), 0, Integer.MAX_VALUE,
                "\"version\"", source);
        if (version != VERSION) {
            throw new DataFormatException(source + ": unsupported " + FORMAT + " version " + version
                    + "; this nnj reads version " + VERSION);
        }
        Json.onlyKeys(o, Set.of("format", "version", "epoch", "optimizer", "history"), "the checkpoint", source);
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
        return new Checkpoint(network, spec, epoch, history, cls, lr, optimizerState, counters, optimizerFile);
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
