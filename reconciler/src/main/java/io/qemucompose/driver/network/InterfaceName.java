package io.qemucompose.driver.network;

import java.util.regex.Pattern;

/**
 * A Linux interface name as this package accepts it: 1-15 bytes (IFNAMSIZ - 1), starting with a
 * letter or digit so that {@code ip} can never read it as an option. {@code spec.Names} only makes
 * such names; this guards the edge.
 */
public final class InterfaceName {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,14}");

    private InterfaceName() {
    }

    public static String require(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("interface name '" + name + "' is not 1-15 letters, digits, '_', '.' or '-'"
                    + " starting with a letter or digit");
        }
        return name;
    }
}
