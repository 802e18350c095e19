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
        if (!unit.execStartPre().isEmpty()) {
            props.add(exec("ExecStartPre", unit.execStartPre()));
        }
        props.add(exec("ExecStart", List.of(new ControlCommand(unit.execStart(), false))));
        if (!unit.execStopPost().isEmpty()) {
            props.add(exec("ExecStopPost", unit.execStopPost()));
        }
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

    /**
     * Exec properties are a(sasb); dbus-java cannot infer that from a List value, so say it. systemd
     * expands {@code ${VAR}} and {@code $VAR} words in these argv entries when it runs them (systemd-run
     * before 254 sends them the same way), so every {@code $} is doubled: a folder named
     * {@code a${HOME}} stays that folder, and a shell script receives its own {@code $1}. The
     * program path is executed as it is.
     */
    private static PropertyStruct exec(String name, List<ControlCommand> commands) {
        List<ExecCommandStruct> structs = commands.stream().map(c -> new ExecCommandStruct(c.argv().getFirst(),
                c.argv().stream().map(TransientUnitProperties::literal).toList(), c.ignoreFailure())).toList();
        return prop(name, new Variant<>(structs, "a(sasb)"));
    }

    static String literal(String word) {
        return word.replace("$", "$$");
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
