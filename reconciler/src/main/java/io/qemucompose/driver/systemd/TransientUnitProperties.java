package io.qemucompose.driver.systemd;

import io.qemucompose.driver.systemd.dbus.ExecCommandStruct;
import io.qemucompose.driver.systemd.dbus.PropertyStruct;
import java.util.ArrayList;
import java.util.List;
import org.freedesktop.dbus.types.UInt64;
import org.freedesktop.dbus.types.Variant;

/** Turns a {@link TransientUnit} into StartTransientUnit's {@code a(sv)} property list. */
final class TransientUnitProperties {

    private TransientUnitProperties() {
    }

    static List<PropertyStruct> of(TransientUnit unit) {
        var props = new ArrayList<PropertyStruct>();
        props.add(prop("Description", new Variant<>(unit.description())));
        props.add(prop("Type", new Variant<>(unit.type())));
        // ExecStart is a(sasb); dbus-java cannot infer that from a List value, so say it.
        var exec = new ExecCommandStruct(unit.execStart().getFirst(), unit.execStart(), false);
        props.add(prop("ExecStart", new Variant<>(List.of(exec), "a(sasb)")));
        unit.workingDirectory().ifPresent(dir -> props.add(prop("WorkingDirectory", new Variant<>(dir.toString()))));
        if (!unit.environment().isEmpty()) {
            List<String> env = unit.environment().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue())
                    .sorted()
                    .toList();
            props.add(prop("Environment", new Variant<>(env, "as")));
        }
        unit.standardOutput().ifPresent(target -> props.addAll(output("StandardOutput", target)));
        unit.standardError().ifPresent(target -> props.addAll(output("StandardError", target)));
        props.add(prop("KillMode", new Variant<>(unit.killMode().value())));
        unit.killSignal().ifPresent(signal -> props.add(prop("KillSignal", new Variant<>(signal))));
        unit.timeoutStop().ifPresent(timeout ->
                props.add(prop("TimeoutStopUSec", new Variant<>(new UInt64(timeout.toNanos() / 1000)))));
        props.add(prop("SendSIGKILL", new Variant<>(unit.sendSigkill())));
        props.add(prop("CollectMode", new Variant<>(unit.collectMode())));
        for (var raw : unit.extraProperties()) {
            props.add(prop(raw.name(), new Variant<>(raw.value(), raw.signature())));
        }
        return props;
    }

    // The unit-file syntax "append:/f" maps to properties of their own on the bus (as systemd-run does).
    private static List<PropertyStruct> output(String stream, OutputTarget target) {
        return switch (target) {
            case OutputTarget.Append(var file) -> List.of(prop(stream + "FileToAppend", new Variant<>(file.toString())));
            case OutputTarget.File(var file) -> List.of(prop(stream + "File", new Variant<>(file.toString())));
            case OutputTarget.Truncate(var file) -> List.of(prop(stream + "FileToTruncate", new Variant<>(file.toString())));
            case OutputTarget.Discard() -> List.of(prop(stream, new Variant<>("null")));
        };
    }

    private static PropertyStruct prop(String name, Variant<?> value) {
        return new PropertyStruct(name, value);
    }
}
