package io.qemucompose.cli.command;

import io.qemucompose.driver.Drivers;
import io.qemucompose.apply.ProjectVolumes;
import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ExitCode;
import io.qemucompose.cli.ProjectLoading;
import io.qemucompose.spec.ByteSize;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code qemu-compose volume ls}: each volume with its size, creation time and the VMs using it. */
@Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true,
        description = "List the project's named volumes and the VMs that use them.")
public final class VolumeLsCommand implements Callable<Integer> {

    private static final DateTimeFormatter CREATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private final CommandEnvironment env;

    @Mixin
    private ProjectLoading project;

    @Option(names = {"-q", "--quiet"}, description = "Only the names.")
    private boolean quiet;

    public enum Format { table, json }

    @Option(names = "--format", defaultValue = "table", description = "Output: ${COMPLETION-CANDIDATES}.")
    private Format format;

    public VolumeLsCommand(CommandEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        try (Drivers drivers = Drivers.forUser(env.env())) {
            List<ProjectVolumes.VolumeInfo> volumes = new ProjectVolumes(project.load(), drivers).list();
            if (quiet) {
                volumes.forEach(v -> env.out().println(v.metadata().name()));
                return ExitCode.OK;
            }
            if (format == Format.json) {
                env.out().print(JsonOutput.write(volumes.stream().map(VolumeLsCommand::json).toList()));
                return ExitCode.OK;
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"NAME", "SIZE", "CREATED", "USED BY"});
            for (ProjectVolumes.VolumeInfo v : volumes) {
                List<String> users = new ArrayList<>();
                for (String vm : v.usedBy()) {
                    users.add(v.runningUsers().contains(vm) ? vm + " (running)" : vm);
                }
                for (String vm : v.runningUsers()) {
                    if (!v.usedBy().contains(vm)) {
                        users.add(vm + " (running)");
                    }
                }
                String usedBy = users.isEmpty() ? "-" : String.join(", ", users);
                rows.add(new String[] {v.metadata().name() + (v.declared() ? "" : " (not in file)"),
                        new ByteSize(v.metadata().sizeBytes()).toString(), CREATED.format(v.metadata().created()),
                        usedBy});
            }
            env.out().print(TextTable.render(rows));
            return ExitCode.OK;
        }
    }

    private static Map<String, Object> json(ProjectVolumes.VolumeInfo v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", v.metadata().name());
        m.put("declared", v.declared());
        m.put("size_bytes", v.metadata().sizeBytes());
        m.put("created", v.metadata().created().toString());
        m.put("used_by", v.usedBy());
        m.put("running_users", v.runningUsers());
        return m;
    }
}
