package org.council.node.inference;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.council.bridge.ModelInfo;
import org.council.bridge.ModelName;

/** The local backends' models and their sizes, for credit claims and capability announcements. Thread-safe. */
public final class ModelCatalog {

    private final Map<String, ModelInfo> models = new ConcurrentHashMap<>();

    public void update(Iterable<ModelInfo> infos) {
        models.clear();
        for (ModelInfo m : infos) {
            models.put(m.name(), m);
        }
    }

    public Map<String, ModelInfo> models() {
        return Map.copyOf(models);
    }

    /** Millions of parameters of a served model; 0 when unknown. */
    public long parametersMillions(String model) {
        ModelInfo m = ModelName.find(model, models.keySet()).map(models::get).orElse(null);
        return m == null ? 0 : Math.round(m.parameterBillions().orElse(0) * 1_000);
    }
}
