package dev.thaw.core.runs;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.thaw.core.util.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The settings that differ between runs, and nothing else. Any object that Thaw writes as JSON (a
 * run spec, say) is flattened to dotted keys ({@code hyper.lr}, {@code freeze.frozen}); arrays are
 * compared whole, so a freeze plan shows as one row.
 */
public final class ConfigDiff {

    /** One setting that is not the same in every run: its key and its value per run (null = absent). */
    public record Row(String key, List<String> values) {
    }

    private ConfigDiff() {
    }

    /** Rows for the keys whose values are not all equal, in first-seen key order. */
    public static List<Row> of(List<?> configs) {
        List<Map<String, String>> flat = new ArrayList<>();
        Set<String> keys = new LinkedHashSet<>();
        for (Object c : configs) {
            Map<String, String> m = new LinkedHashMap<>();
            JsonElement tree = c instanceof JsonElement je ? je : Json.COMPACT.toJsonTree(c);
            flatten("", tree, m);
            keys.addAll(m.keySet());
            flat.add(m);
        }
        List<Row> rows = new ArrayList<>();
        for (String k : keys) {
            List<String> values = new ArrayList<>();
            for (Map<String, String> m : flat) {
                values.add(m.get(k));
            }
            if (values.stream().distinct().count() > 1) {
                rows.add(new Row(k, values));
            }
        }
        return rows;
    }

    private static void flatten(String prefix, JsonElement e, Map<String, String> out) {
        if (e == null || e.isJsonNull()) {
            return;
        }
        if (e.isJsonObject()) {
            JsonObject o = e.getAsJsonObject();
            for (Map.Entry<String, JsonElement> en : o.entrySet()) {
                flatten(prefix.isEmpty() ? en.getKey() : prefix + "." + en.getKey(), en.getValue(), out);
            }
        } else if (e.isJsonPrimitive()) {
            out.put(prefix, e.getAsJsonPrimitive().isString() ? e.getAsString() : e.toString());
        } else {
            out.put(prefix, e.toString());
        }
    }
}
