package io.qemucompose.driver.systemd;

import java.nio.charset.StandardCharsets;

/**
 * systemd's object path for a unit name ({@code /org/freedesktop/systemd1/unit/<escaped>}): every
 * byte outside [A-Za-z0-9], and a leading digit, becomes {@code _xx} (lowercase hex), like
 * sd_bus_path_encode. Lets us match PropertiesChanged signals of a unit that is not loaded yet.
 */
public final class UnitObjectPath {

    static final String PREFIX = "/org/freedesktop/systemd1/unit/";

    private UnitObjectPath() {
    }

    public static String of(String unitName) {
        if (unitName.isEmpty()) {
            return PREFIX + "_";
        }
        var out = new StringBuilder(PREFIX);
        byte[] bytes = unitName.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            boolean alnum = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9');
            if (alnum && !(i == 0 && b <= '9')) {
                out.append((char) b);
            } else {
                out.append('_').append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 0xf, 16));
            }
        }
        return out.toString();
    }

    /** The unit name of a unit object path, or null when the path is not a unit path. */
    public static String unitName(String objectPath) {
        if (!objectPath.startsWith(PREFIX)) {
            return null;
        }
        String escaped = objectPath.substring(PREFIX.length());
        if (escaped.equals("_")) {
            return "";
        }
        var bytes = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c == '_' && i + 2 < escaped.length()) {
                bytes.write(Integer.parseInt(escaped, i + 1, i + 3, 16));
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
