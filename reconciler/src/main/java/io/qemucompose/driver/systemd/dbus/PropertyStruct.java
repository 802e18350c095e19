package io.qemucompose.driver.systemd.dbus;

import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.Position;
import org.freedesktop.dbus.types.Variant;

/** One unit property on the wire, D-Bus signature {@code (sv)}. */
public final class PropertyStruct extends Struct {
    @Position(0)
    public final String name;
    @Position(1)
    public final Variant<?> value;

    public PropertyStruct(String name, Variant<?> value) {
        this.name = name;
        this.value = value;
    }
}
