package org.nnj.core.io;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.nnj.api.DataFormatException;

/**
 * Strict JSON for nnj's files: no comments or other leniency, no duplicate keys, no trailing content, nesting at most
 * {@value #MAX_DEPTH} deep, numbers kept as their text. Every failure is a {@link DataFormatException} whose one-line
 * message starts with the source (a file name) and says what was expected and what was found.
 */
final class Json {
    static final int MAX_DEPTH = 64;
    private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    private Json() {
    }

    /** Parses one JSON value that must fill {@code text}. */
    static JsonElement parse(String text, String source) {
        JsonReader r = new JsonReader(new StringReader(text));
        r.setStrictness(Strictness.STRICT);
        try {
            JsonElement e = value(r, source, 0);
            boolean end;
            try {
                end = r.peek() == JsonToken.END_DOCUMENT;
            } catch (IOException more) {
                end = false;
            }
            if (!end) {
                throw new DataFormatException(source + ": expected the end of the JSON text after the first value, "
                        + "found more");
            }
            return e;
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            throw new DataFormatException(source + ": not valid JSON: " + oneLine(e.getMessage()), e);
        }
    }

    private static JsonElement value(JsonReader r, String source, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new DataFormatException(source + ": JSON nested deeper than " + MAX_DEPTH + " levels at "
                    + r.getPath());
        }
        switch (r.peek()) {
            case BEGIN_OBJECT: {
                JsonObject o = new JsonObject();
                r.beginObject();
                while (r.hasNext()) {
                    String key = r.nextName();
                    if (hasControlCharacter(key)) {
                        // names are echoed in messages, which must stay one line (found by IoReadersFuzzTest)
                        throw new DataFormatException(source + ": expected names without control characters, found "
                                + quote(key) + " in " + r.getPath().replace(key, quote(key)));
                    }
                    if (o.has(key)) {
                        throw new DataFormatException(source + ": duplicate key \"" + key + "\" at " + r.getPath());
                    }
                    o.add(key, value(r, source, depth + 1));
                }
                r.endObject();
                return o;
            }
            case BEGIN_ARRAY: {
                JsonArray a = new JsonArray();
                r.beginArray();
                while (r.hasNext()) {
                    a.add(value(r, source, depth + 1));
                }
                r.endArray();
                return a;
            }
            case STRING:
                return new JsonPrimitive(r.nextString());
            case NUMBER:
                return new JsonPrimitive(new NumberText(r.nextString()));
            case BOOLEAN:
                return new JsonPrimitive(r.nextBoolean());
            case NULL:
                r.nextNull();
                return JsonNull.INSTANCE;
            default:
                throw new DataFormatException(source + ": expected a JSON value, found " + r.peek() + " at "
                        + r.getPath());
        }
    }

    /** A JSON number kept as its text, so that {@code 1e-3} and {@code 50} are read and written unchanged. */
    private static final class NumberText extends Number {
        private static final long serialVersionUID = 1L;
        private final String text;

        NumberText(String text) {
            this.text = text;
        }

        @Override
        public int intValue() {
            return (int) doubleValue();
        }

        @Override
        public long longValue() {
            return (long) doubleValue();
        }

        @Override
        public float floatValue() {
            return (float) doubleValue();
        }

        @Override
        public double doubleValue() {
            return Double.parseDouble(text);
        }

        @Override
        public String toString() {
            return text;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof NumberText && ((NumberText) o).text.equals(text);
        }

        @Override
        public int hashCode() {
            return text.hashCode();
        }
    }

    /** Pretty-printed JSON text, non-ASCII and HTML characters written as they are. */
    static String write(JsonElement e) {
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(e) + "\n";
    }

    /** Compact JSON text. */
    static String writeCompact(JsonElement e) {
        return new GsonBuilder().disableHtmlEscaping().create().toJson(e);
    }

    /** A setting's text as JSON: a number or boolean where the text is exactly one, else a string. */
    static JsonPrimitive settingValue(String text) {
        if (NUMBER.matcher(text).matches()) {
            return new JsonPrimitive(new NumberText(text));
        }
        if (text.equals("true") || text.equals("false")) {
            return new JsonPrimitive(Boolean.parseBoolean(text));
        }
        return new JsonPrimitive(text);
    }

    /** {@code e} as an object. */
    static JsonObject object(JsonElement e, String where, String source) {
        if (e == null || !e.isJsonObject()) {
            throw new DataFormatException(source + ": expected " + where + " to be a JSON object, found " + describe(e));
        }
        return e.getAsJsonObject();
    }

    /** {@code e} as an array. */
    static JsonArray array(JsonElement e, String where, String source) {
        if (e == null || !e.isJsonArray()) {
            throw new DataFormatException(source + ": expected " + where + " to be a JSON array, found " + describe(e));
        }
        return e.getAsJsonArray();
    }

    /** {@code e} as a string. */
    static String string(JsonElement e, String where, String source) {
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new DataFormatException(source + ": expected " + where + " to be a string, found " + describe(e));
        }
        return e.getAsString();
    }

    /** A string, number or boolean as text (setting values). */
    static String scalarText(JsonElement e, String where, String source) {
        if (e == null || !e.isJsonPrimitive()) {
            throw new DataFormatException(source + ": expected " + where + " to be a string, number or boolean, found "
                    + describe(e));
        }
        return e.getAsString();
    }

    /** {@code e} as a whole number in {@code [min, max]}. */
    static long integer(JsonElement e, long min, long max, String where, String source) {
        if (e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
            String text = e.getAsString();
            try {
                long v = Long.parseLong(text);
                if (v >= min && v <= max) {
                    return v;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        throw new DataFormatException(source + ": expected " + where + " to be a whole number in [" + min + ", " + max
                + "], found " + describe(e));
    }

    /** A member that must be present. */
    static JsonElement required(JsonObject o, String key, String where, String source) {
        JsonElement e = o.get(key);
        if (e == null) {
            throw new DataFormatException(source + ": " + where + " has no \"" + key + "\"");
        }
        return e;
    }

    /** Rejects any key of {@code o} not in {@code known}. */
    static void onlyKeys(JsonObject o, Set<String> known, String where, String source) {
        for (Map.Entry<String, JsonElement> e : o.entrySet()) {
            if (!known.contains(e.getKey())) {
                throw new DataFormatException(source + ": unknown key \"" + e.getKey() + "\" in " + where
                        + "; expected " + String.join(", ", new TreeSet<>(known)));
            }
        }
    }

    /** Whether {@code s} holds a control character (a line break, a tab, NUL...) or a Unicode line separator. */
    static boolean hasControlCharacter(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                return true;
            }
        }
        return false;
    }

    /** Text from a file as a JSON string literal, for messages: quoted, with line breaks and controls escaped. */
    static String quote(String s) {
        return writeCompact(new JsonPrimitive(s));
    }

    /** {@code s} as it is if it has no control character, else {@link #quote quoted}. */
    static String printable(String s) {
        return hasControlCharacter(s) ? quote(s) : s;
    }

    /** A short description of a JSON value for messages. */
    static String describe(JsonElement e) {
        if (e == null) {
            return "nothing";
        }
        String s = writeCompact(e);
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    /** Gson's message on one line, without its advice to be lenient and its troubleshooting link. */
    static String oneLine(String s) {
        return s == null ? "" : s.replace("Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON", "")
                .replaceAll("See https?://\\S+", "").replaceAll("\\s+", " ").trim();
    }
}
