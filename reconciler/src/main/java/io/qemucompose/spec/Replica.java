package io.qemucompose.spec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which instance of a VM of the file this is: {@code deploy: {replicas: N}} or {@code up --scale
 * VM=N} make N instances of one VM definition.
 *
 * <p>The first instance keeps the VM's own name and the others are {@code web-2 … web-N}, so
 * scaling a VM up never renames (and so never destroys) the disk it already has, and scaling
 * down removes the highest numbers first, as docker compose removes its surplus containers. A
 * name of the file therefore stands for all of its instances where a command takes several
 * ({@code stop web}) and for the first where it takes one ({@code ssh web}), as docker compose's
 * {@code exec} defaults to {@code --index 1}.
 *
 * @param of the VM's name in the file
 * @param index 1-based
 * @param count how many instances the run asks for
 */
public record Replica(String of, int index, int count) {
    /** Recorded in {@code state.json} for instances 2…N, so a later run knows a surplus instance is one. */
    public static final String FIELD = "replica.of";

    public Replica {
        if (index < 1 || count < 1 || index > count) {
            throw new IllegalArgumentException("replica " + index + " of " + count);
        }
    }

    public static Replica single(String vm) {
        return new Replica(vm, 1, 1);
    }

    public static String instanceName(String vm, int index) {
        return index == 1 ? vm : vm + "-" + index;
    }

    public String instanceName() {
        return instanceName(of, index);
    }

    /**
     * The instance names {@code names} stand for: a VM of the file with several instances stands
     * for all of them, in order; any other name for itself. Duplicates are dropped.
     */
    public static List<String> expand(Collection<VmSpec> instances, List<String> names) {
        Set<String> out = new LinkedHashSet<>();
        for (String name : names) {
            List<String> group = new ArrayList<>();
            for (VmSpec vm : instances) {
                if (vm.replica().of().equals(name) && vm.replica().count() > 1) {
                    group.add(vm.name());
                }
            }
            if (group.isEmpty()) {
                out.add(name);
            } else {
                out.addAll(group);
            }
        }
        return List.copyOf(out);
    }

    /**
     * The VM of the file that {@code instance} was made for, when its applied fields (from
     * {@code state.json}) say it is instance 2 or later of one: how a plan tells a surplus
     * replica after scaling down from a VM that left the file.
     */
    public static java.util.Optional<String> surplusOf(String instance, java.util.Map<String, String> applied) {
        String of = applied.get(FIELD);
        if (of == null || !instance.startsWith(of + "-")) {
            return java.util.Optional.empty();
        }
        return indexIn(instance, of) >= 2 ? java.util.Optional.of(of) : java.util.Optional.empty();
    }

    /** The number after {@code of-} in {@code instance}, 0 when there is none. */
    public static int indexIn(String instance, String of) {
        String tail = instance.substring(of.length() + 1);
        if (tail.isEmpty() || tail.length() > 6 || !tail.chars().allMatch(Character::isDigit) || tail.startsWith("0")) {
            return 0;
        }
        return Integer.parseInt(tail);
    }
}
