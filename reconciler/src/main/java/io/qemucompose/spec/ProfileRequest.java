package io.qemucompose.spec;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a run asks of {@code profiles:}, as docker compose: the {@code --profile} flags (else the
 * comma-separated {@value #VARIABLE}, from the environment or {@code .env}), and the VMs named on
 * the command line, which are enabled whatever their profiles.
 */
public record ProfileRequest(List<String> profiles, Set<String> namedVms) {
    /** Our name for docker's COMPOSE_PROFILES. */
    public static final String VARIABLE = "QEMU_COMPOSE_PROFILES";
    /** {@code --profile '*'} enables every profile, as in docker compose. */
    public static final String ALL = "*";
    public static final ProfileRequest NONE = new ProfileRequest(List.of(), Set.of());

    public ProfileRequest {
        profiles = List.copyOf(profiles);
        namedVms = Set.copyOf(namedVms);
    }

    public static ProfileRequest of(List<String> profileFlags, List<String> namedVms) {
        return new ProfileRequest(profileFlags, new LinkedHashSet<>(namedVms));
    }

    /** The flags when given, else the variable's comma-separated names; blanks dropped. */
    Set<String> enabled(String variableValue) {
        List<String> names = new ArrayList<>(profiles);
        if (names.isEmpty() && variableValue != null) {
            names.addAll(List.of(variableValue.split(",")));
        }
        Set<String> out = new LinkedHashSet<>();
        names.stream().map(String::strip).filter(n -> !n.isEmpty()).forEach(out::add);
        return out;
    }
}
