package io.qemucompose.convert.kubevirt;

import java.util.LinkedHashMap;
import java.util.Map;

/** Building blocks every manifest shares: ordered maps, metadata and the labels that tie objects to the project. */
final class KubeObjects {
    static final String PART_OF = "app.kubernetes.io/part-of";
    static final String NAME = "app.kubernetes.io/name";
    static final String MANAGED_BY = "app.kubernetes.io/managed-by";

    private KubeObjects() {
    }

    /** An ordered map from alternating keys and values; a null value leaves its key out. */
    static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i + 1] != null) {
                map.put((String) keyValues[i], keyValues[i + 1]);
            }
        }
        return map;
    }

    /** The labels of everything converted from {@code project}; {@code vm} may be null (networks, volumes). */
    static Map<String, Object> labels(String project, String vm) {
        return map(PART_OF, project, NAME, vm, MANAGED_BY, "qemu-compose");
    }

    /** The labels a VM's pod carries, which its Service selects. */
    static Map<String, Object> selector(String project, String vm) {
        return map(PART_OF, project, NAME, vm);
    }

    static Map<String, Object> object(String apiVersion, String kind, String name, Map<String, Object> labels,
            Object... rest) {
        Map<String, Object> object = map("apiVersion", apiVersion, "kind", kind,
                "metadata", map("name", name, "labels", labels));
        object.putAll(map(rest));
        return object;
    }
}
