package dev.unlearning.api.worker;

import dev.unlearning.api.Metric;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The metrics measured on one model version; a metric that could not be measured (no test split, no
 * canaries) is absent, never zero, so the gate can tell "not measured" from "measured 0".
 */
public record Measurements(Map<Metric, Double> values) {

    public Measurements {
        EnumMap<Metric, Double> copy = new EnumMap<>(Metric.class);
        if (values != null) {
            values.forEach((metric, value) -> {
                if (value != null && !value.isNaN()) {
                    copy.put(metric, value);
                }
            });
        }
        values = Collections.unmodifiableMap(copy);
    }

    /** The inverse of {@link #byKey()}; an unknown key is an error, not a dropped value. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Measurements fromKeys(Map<String, Double> byKey) {
        EnumMap<Metric, Double> values = new EnumMap<>(Metric.class);
        byKey.forEach((key, value) -> values.put(Metric.ofKey(key), value));
        return new Measurements(values);
    }

    public static Measurements none() {
        return new Measurements(Map.of());
    }

    public Double get(Metric metric) {
        return values.get(metric);
    }

    public Measurements with(Metric metric, Double value) {
        EnumMap<Metric, Double> copy = new EnumMap<>(Metric.class);
        copy.putAll(values);
        copy.put(metric, value);
        return new Measurements(copy);
    }

    /** By metric key, in the enum's order: how status, certificates and the termination message show them. */
    @JsonValue
    public Map<String, Double> byKey() {
        Map<String, Double> map = new LinkedHashMap<>();
        values.forEach((metric, value) -> map.put(metric.key(), value));
        return map;
    }
}
