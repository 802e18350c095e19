package io.qemucompose.cli.command;

import io.qemucompose.driver.net.PortLease;
import io.qemucompose.driver.systemd.UnitStatus;
import io.qemucompose.spec.Names;
import io.qemucompose.state.ProjectLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every project of this user on the machine, for {@code ls}: the port registry knows each
 * project's folder and VM names (a VM leases its SSH port when it first starts), systemd knows
 * which of their units run. Pure: both lists are given.
 */
final class ProjectListing {

    /** @param states how many of the VMs are running (paused included), failed, stopped; absent when none */
    record Row(String name, Path folder, int vms, Map<String, Integer> states) {

        boolean anyRunning() {
            return states.getOrDefault("running", 0) > 0;
        }

        /** docker compose ls's STATUS column: {@code running(2), stopped(1)}. */
        String status() {
            List<String> parts = new ArrayList<>();
            states.forEach((state, n) -> parts.add(state + "(" + n + ")"));
            return String.join(", ", parts);
        }
    }

    private static final String SERVICE = ".service";
    /** {@code qemu-compose-}: what every unit of every project starts with. */
    static final String UNIT_PREFIX = unitPrefix();

    private ProjectListing() {}

    private static String unitPrefix() {
        String withEmptyProject = ProjectLayout.unitPrefix("");
        return withEmptyProject.substring(0, withEmptyProject.length() - 1);
    }

    static List<Row> of(List<PortLease> leases, List<UnitStatus> units) {
        Map<Path, Set<String>> vmsByFolder = new TreeMap<>();
        for (PortLease lease : leases) {
            vmsByFolder.computeIfAbsent(lease.projectDir(), d -> new TreeSet<>()).add(lease.vm());
        }
        Map<String, UnitStatus> byName = new HashMap<>();
        units.forEach(u -> byName.put(u.name(), u));
        List<Row> rows = new ArrayList<>();
        vmsByFolder.forEach((folder, vms) -> {
            String project = projectName(folder, vms, byName.keySet());
            Map<String, Integer> states = new LinkedHashMap<>();
            for (String state : List.of("running", "failed", "stopped")) {
                states.put(state, 0);
            }
            for (String vm : vms) {
                UnitStatus u = byName.get(ProjectLayout.vmUnit(project, vm));
                states.merge(state(u), 1, Integer::sum);
            }
            states.values().removeIf(n -> n == 0);
            rows.add(new Row(project, folder, vms.size(), states));
        });
        rows.sort(Comparator.comparing(Row::name).thenComparing(Row::folder));
        return rows;
    }

    private static String state(UnitStatus u) {
        if (u == null) {
            return "stopped";
        }
        return switch (u.activeState()) {
            case ACTIVE, ACTIVATING, RELOADING, DEACTIVATING -> "running";
            case FAILED -> "failed";
            default -> "stopped";
        };
    }

    /**
     * The project name its units carry. It is not recorded with the lease and may have come from
     * {@code -p} or {@code name:}, so the name that makes the most of the folder's VMs match a unit
     * wins; with no unit loaded, the name docker compose would derive from the folder.
     */
    static String projectName(Path folder, Set<String> vms, Set<String> unitNames) {
        String fromFolder = Names.normalizeProjectName(folder.getFileName() == null ? "" : folder.getFileName().toString())
                .orElse("default");
        String prefix = UNIT_PREFIX;
        Map<String, Integer> votes = new TreeMap<>();
        for (String unit : unitNames) {
            if (!unit.startsWith(prefix) || !unit.endsWith(SERVICE)) {
                continue;
            }
            String middle = unit.substring(prefix.length(), unit.length() - SERVICE.length());
            for (String vm : vms) {
                if (middle.endsWith("-" + vm) && middle.length() > vm.length() + 1) {
                    votes.merge(middle.substring(0, middle.length() - vm.length() - 1), 1, Integer::sum);
                }
            }
        }
        int best = votes.values().stream().max(Integer::compare).orElse(0);
        if (best == 0 || votes.getOrDefault(fromFolder, 0) == best) {
            return fromFolder;
        }
        return votes.entrySet().stream().filter(e -> e.getValue() == best).findFirst().orElseThrow().getKey();
    }
}
