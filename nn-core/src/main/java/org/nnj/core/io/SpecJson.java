package org.nnj.core.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.nnj.api.DType;
import org.nnj.api.DataFormatException;
import org.nnj.api.Settings;
import org.nnj.api.Shape;

/**
 * The JSON form of a {@link NetworkSpec} ({@code network.json}):
 *
 * <pre>{@code
 * {
 *   "format": "nnj-network",
 *   "version": 1,
 *   "input_shape": [784],
 *   "dtype": "float32",
 *   "layers": [
 *     {"name": "Affine1", "provider": "affine", "settings": {"units": 50}},
 *     {"provider": "relu"}
 *   ],
 *   "loss": {"provider": "softmax-cross-entropy"},
 *   "optimizer": {"provider": "adam", "settings": {"lr": 0.001}},
 *   "training": {"epochs": 5, "batch_size": 100, "seed": 0,
 *                "schedule": {"name": "step", "settings": {"step_size": 2, "gamma": 0.5}}}
 * }
 * }</pre>
 *
 * {@code name}, {@code settings}, {@code optimizer}, {@code training} and each of its keys ({@code epochs} 17,
 * {@code batch_size} 100, {@code seed} 0, {@code schedule} none), and {@code dtype} (float32) may be left out. Setting values may be
 * strings, numbers or booleans; they are kept as their text. Unknown keys are errors (a typo must not be silently
 * ignored).
 */
final class SpecJson {
    /** The value of {@code "format"}. */
    static final String FORMAT = "nnj-network";
    /** The only version this code reads and writes. */
    static final int VERSION = 1;
    /** The largest spec file read. */
    static final int MAX_BYTES = 1 << 20;

    private static final Set<String> TOP = Set.of("format", "version", "input_shape", "dtype", "layers", "loss",
            "optimizer", "training");
    private static final Set<String> LAYER = Set.of("name", "provider", "settings");
    private static final Set<String> COMPONENT = Set.of("provider", "settings");
    private static final Set<String> TRAINING = Set.of("epochs", "batch_size", "seed", "schedule");
    private static final Set<String> SCHEDULE = Set.of("name", "settings");

    private SpecJson() {
    }

    static String write(NetworkSpec spec) {
        return Json.write(toTree(spec));
    }

    static JsonObject toTree(NetworkSpec spec) {
        JsonObject o = new JsonObject();
        o.addProperty("format", FORMAT);
        o.addProperty("version", VERSION);
        JsonArray shape = new JsonArray();
        for (int d : spec.inputShape().dims()) {
            shape.add(d);
        }
        o.add("input_shape", shape);
        o.addProperty("dtype", spec.dtype().label());
        JsonArray layers = new JsonArray();
        for (NetworkSpec.LayerSpec l : spec.layers()) {
            JsonObject lo = new JsonObject();
            if (l.name() != null) {
                lo.addProperty("name", l.name());
            }
            lo.addProperty("provider", l.provider());
            lo.add("settings", settings(l.settings()));
            layers.add(lo);
        }
        o.add("layers", layers);
        o.add("loss", component(spec.loss()));
        spec.optimizer().ifPresent(c -> o.add("optimizer", component(c)));
        spec.training().ifPresent(t -> {
            JsonObject to = new JsonObject();
            to.addProperty("epochs", t.epochs());
            to.addProperty("batch_size", t.batchSize());
            to.addProperty("seed", t.seed());
            t.scheduleSpec().ifPresent(c -> {
                JsonObject so = new JsonObject();
                so.addProperty("name", c.provider());
                so.add("settings", settings(c.settings()));
                to.add("schedule", so);
            });
            o.add("training", to);
        });
        return o;
    }

    private static JsonObject component(NetworkSpec.Component c) {
        JsonObject o = new JsonObject();
        o.addProperty("provider", c.provider());
        o.add("settings", settings(c.settings()));
        return o;
    }

    private static JsonObject settings(Settings s) {
        JsonObject o = new JsonObject();
        for (Map.Entry<String, String> e : s.asMap().entrySet()) {
            o.add(e.getKey(), Json.settingValue(e.getValue()));
        }
        return o;
    }

    static NetworkSpec read(Path file) {
        byte[] bytes = AtomicFiles.readAll(file, MAX_BYTES);
        return read(AtomicFiles.utf8(bytes, file.toString()), file.toString());
    }

    static NetworkSpec read(String json, String source) {
        return fromTree(Json.parse(json, source), source);
    }

    static NetworkSpec fromTree(JsonElement tree, String source) {
        JsonObject o = Json.object(tree, "the network spec", source);
        String format = Json.string(Json.required(o, "format", "the network spec", source), "\"format\"", source);
        if (!format.equals(FORMAT)) {
            throw new DataFormatException(source + ": expected \"format\": \"" + FORMAT + "\", found " + Json.quote(format));
        }
        long version = Json.integer(Json.required(o, "version", "the network spec", source), 0, Integer.MAX_VALUE,
                "\"version\"", source);
        if (version != VERSION) {
            throw new DataFormatException(source + ": unsupported " + FORMAT + " version " + version
                    + "; this nnj reads version " + VERSION);
        }
        Json.onlyKeys(o, TOP, "the network spec", source);
        JsonArray dims = Json.array(Json.required(o, "input_shape", "the network spec", source), "\"input_shape\"",
                source);
        int[] d = new int[dims.size()];
        if (d.length > 8) {
            throw new DataFormatException(source + ": expected \"input_shape\" of at most 8 dimensions, found "
                    + d.length);
        }
        for (int i = 0; i < d.length; i++) {
            d[i] = (int) Json.integer(dims.get(i), 1, Integer.MAX_VALUE, "input_shape[" + i + "]", source);
        }
        Shape inputShape;
        try {
            inputShape = Shape.of(d);
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(source + ": \"input_shape\": " + e.getMessage());
        }
        DType dtype;
        String dt = o.has("dtype") ? Json.string(o.get("dtype"), "\"dtype\"", source) : DType.FLOAT32.label();
        try {
            dtype = DType.parse(dt);
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(source + ": \"dtype\": " + (Json.hasControlCharacter(dt)
                    ? "expected float32 or float64, found " + Json.quote(dt) : e.getMessage()));
        }
        NetworkSpec.Builder b = NetworkSpec.builder(inputShape, dtype);
        JsonArray layers = Json.array(Json.required(o, "layers", "the network spec", source), "\"layers\"", source);
        for (int i = 0; i < layers.size(); i++) {
            String where = "layers[" + i + "]";
            JsonObject lo = Json.object(layers.get(i), where, source);
            Json.onlyKeys(lo, LAYER, where, source);
            String name = lo.has("name") ? Json.string(lo.get("name"), where + ".name", source) : null;
            if (name != null && (name.isEmpty() || name.indexOf('.') >= 0 || Json.hasControlCharacter(name))) {
                throw new DataFormatException(source + ": " + where + ".name " + Json.quote(name)
                        + " must be non-empty and contain no dot or control character");
            }
            String provider = provider(lo, where, source);
            b.layer(name, provider, settings(lo, where, source));
        }
        NetworkSpec.Component loss = component(Json.required(o, "loss", "the network spec", source), "loss", source);
        b.loss(loss.provider(), loss.settings());
        if (o.has("optimizer")) {
            NetworkSpec.Component opt = component(o.get("optimizer"), "optimizer", source);
            b.optimizer(opt.provider(), opt.settings());
        }
        if (o.has("training")) {
            JsonObject to = Json.object(o.get("training"), "\"training\"", source);
            Json.onlyKeys(to, TRAINING, "training", source);
            // every key is optional: a missing one takes the trainer's default (17 epochs, batch 100, seed 0)
            int epochs = to.has("epochs") ? (int) Json.integer(to.get("epochs"), 1, Integer.MAX_VALUE,
                    "training.epochs", source) : NetworkSpec.Training.DEFAULT_EPOCHS;
            int batch = to.has("batch_size") ? (int) Json.integer(to.get("batch_size"), 1, Integer.MAX_VALUE,
                    "training.batch_size", source) : NetworkSpec.Training.DEFAULT_BATCH_SIZE;
            long seed = to.has("seed") ? Json.integer(to.get("seed"), Long.MIN_VALUE, Long.MAX_VALUE,
                    "training.seed", source) : NetworkSpec.Training.DEFAULT_SEED;
            NetworkSpec.Component schedule = null;
            if (to.has("schedule")) {
                JsonObject so = Json.object(to.get("schedule"), "training.schedule", source);
                Json.onlyKeys(so, SCHEDULE, "training.schedule", source);
                String name = Json.string(Json.required(so, "name", "training.schedule", source),
                        "training.schedule.name", source);
                if (name.isBlank() || Json.hasControlCharacter(name)) {
                    throw new DataFormatException(source + ": training.schedule.name: expected a schedule name, found "
                            + Json.quote(name));
                }
                schedule = new NetworkSpec.Component(name, settings(so, "training.schedule", source));
            }
            b.training(new NetworkSpec.Training(epochs, batch, seed, schedule));
        }
        return b.build();
    }

    private static NetworkSpec.Component component(JsonElement e, String where, String source) {
        JsonObject o = Json.object(e, "\"" + where + "\"", source);
        Json.onlyKeys(o, COMPONENT, where, source);
        return new NetworkSpec.Component(provider(o, where, source), settings(o, where, source));
    }

    private static String provider(JsonObject o, String where, String source) {
        String p = Json.string(Json.required(o, "provider", where, source), where + ".provider", source);
        if (p.isBlank()) {
            throw new DataFormatException(source + ": " + where + ".provider is empty");
        }
        if (Json.hasControlCharacter(p)) {
            // provider names are echoed in messages, which must stay one line (found by IoReadersFuzzTest)
            throw new DataFormatException(source + ": " + where + ".provider: expected a provider name, found "
                    + Json.quote(p));
        }
        return p;
    }

    private static Settings settings(JsonObject o, String where, String source) {
        if (!o.has("settings")) {
            return Settings.empty();
        }
        JsonObject so = Json.object(o.get("settings"), where + ".settings", source);
        Map<String, String> m = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : so.entrySet()) {
            m.put(e.getKey(), Json.scalarText(e.getValue(), where + ".settings." + e.getKey(), source));
        }
        return Settings.of(m);
    }

    static byte[] bytes(NetworkSpec spec) {
        return write(spec).getBytes(StandardCharsets.UTF_8);
    }
}
