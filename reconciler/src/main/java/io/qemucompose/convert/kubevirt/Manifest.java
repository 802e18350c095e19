package io.qemucompose.convert.kubevirt;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One Kubernetes object as {@code kubectl apply} reads it: plain maps, lists, strings, numbers and
 * booleans in the order they are written.
 *
 * @param kind the object's kind ({@code VirtualMachine}, {@code Service}, ...)
 * @param name its {@code metadata.name}
 * @param object the whole object, {@code apiVersion} first
 */
public record Manifest(String kind, String name, Map<String, Object> object) {

    public Manifest {
        object = Collections.unmodifiableMap(new LinkedHashMap<>(object));
    }

    /** {@code <name>-<kind>.yaml}, as kompose names its files: unique, since names are unique per kind. */
    public String fileName() {
        return name + "-" + kind.toLowerCase(Locale.ROOT) + ".yaml";
    }

    /** A Secret's file must not be readable by others. */
    public boolean holdsSecret() {
        return kind.equals("Secret");
    }
}
