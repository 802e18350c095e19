package io.qemucompose.convert.kubevirt;

import java.util.Locale;

/**
 * Kubernetes object names from compose names. VM names are DNS labels already ({@code Names}); volume
 * and network names may hold capitals and {@code _}, which a Kubernetes name (RFC 1123) may not.
 */
final class KubeNames {

    private KubeNames() {
    }

    static String of(String composeName) {
        String name = composeName.toLowerCase(Locale.ROOT).replace('_', '-');
        int start = 0;
        int end = name.length();
        while (start < end && name.charAt(start) == '-') {
            start++;
        }
        while (end > start && name.charAt(end - 1) == '-') {
            end--;
        }
        return name.substring(start, end);
    }
}
