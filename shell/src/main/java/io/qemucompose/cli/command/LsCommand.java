package io.qemucompose.cli.command;

import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ExitCode;
import io.qemucompose.driver.Drivers;
import io.qemucompose.driver.systemd.UnitStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code qemu-compose ls}: the projects of this user on the machine, as docker compose ls lists
 * them: running ones by default, {@code -a} for all. Needs no compose file.
 */
@Command(name = "ls", mixinStandardHelpOptions = true,
        description = "List the projects on this machine with their folder, VM count and states.")
public final class LsCommand implements Callable<Integer> {

    public enum Format { table, json }

    private final CommandEnvironment env;

    @Option(names = {"-a", "--all"}, description = "Also projects none of whose VMs run.")
    private boolean all;

    @Option(names = "--format", defaultValue = "table", description = "Output: ${COMPLETION-CANDIDATES}.")
    private Format format;

    @Option(names = {"-q", "--quiet"}, description = "Only the project names.")
    private boolean quiet;

    public LsCommand(CommandEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        List<ProjectListing.Row> rows;
        try (Drivers drivers = Drivers.forUser(env.env())) {
            List<UnitStatus> units = drivers.systemd().listUnitStates(
                    ProjectListing.UNIT_PREFIX);
            rows = ProjectListing.of(drivers.portLeases().all(), units).stream()
                    .filter(r -> all || r.anyRunning())
                    .toList();
        }
        if (quiet) {
            rows.forEach(r -> env.out().println(r.name()));
        } else if (format == Format.json) {
            env.out().print(JsonOutput.write(rows.stream().map(LsCommand::json).toList()));
        } else {
            env.out().print(table(rows));
        }
        return ExitCode.OK;
    }

    static String table(List<ProjectListing.Row> rows) {
        StringBuilder sb = new StringBuilder();
        String fmt = "%-24s %-5s %-32s %s%n";
        sb.append(String.format(fmt, "NAME", "VMS", "STATUS", "FOLDER"));
        for (ProjectListing.Row r : rows) {
            sb.append(String.format(fmt, r.name(), r.vms(), r.status(), r.folder()));
        }
        return sb.toString();
    }

    static Map<String, Object> json(ProjectListing.Row r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", r.name());
        m.put("folder", r.folder().toString());
        m.put("vms", r.vms());
        m.put("status", r.status());
        m.put("states", r.states());
        return m;
    }
}
