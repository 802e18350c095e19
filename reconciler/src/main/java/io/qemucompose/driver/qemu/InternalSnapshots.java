package io.qemucompose.driver.qemu;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;

/**
 * qcow2 internal snapshots of a running VM, disks and RAM together, through QMP's snapshot jobs
 * ({@code snapshot-save}, {@code snapshot-load}, {@code snapshot-delete}, QEMU 6.0+). Unlike HMP's
 * {@code savevm} they name the disks explicitly, so the read-only seed CD-ROM is left out, and
 * they report errors as job errors rather than as monitor text.
 */
public final class InternalSnapshots {

    private static final AtomicLong JOB_IDS = new AtomicLong();

    /** A drive of the VM as QEMU knows it: the {@code -drive id} and its top (format) node. */
    public record Drive(String device, String node, boolean readOnly) {
    }

    private InternalSnapshots() {}

    /** The qcow2 drives that take part in a snapshot: every writable one, the VM's own disk first. */
    public static List<Drive> snapshotDrives(QmpClient qmp) {
        List<Drive> out = new ArrayList<>();
        for (JsonNode b : qmp.execute("query-block")) {
            JsonNode inserted = b.path("inserted");
            if (inserted.isMissingNode() || !"qcow2".equals(inserted.path("drv").asString())) {
                continue;
            }
            boolean ro = inserted.path("ro").asBoolean(false);
            if (!ro) {
                out.add(new Drive(b.path("device").asString(), inserted.path("node-name").asString(), false));
            }
        }
        out.sort((a, b) -> a.device().equals("disk0") ? -1 : b.device().equals("disk0") ? 1 : a.device().compareTo(b.device()));
        return out;
    }

    /** Saves RAM and device state into the first drive and a disk snapshot of every drive, all tagged {@code tag}. */
    public static void save(QmpClient qmp, String tag, List<Drive> drives, Duration timeout) {
        run(qmp, "snapshot-save", Map.of("tag", tag, "vmstate", drives.getFirst().node(), "devices", nodes(drives)),
                timeout);
    }

    /** Loads a snapshot: every drive goes back to it and the guest continues from its RAM state. */
    public static void load(QmpClient qmp, String tag, List<Drive> drives, Duration timeout) {
        run(qmp, "snapshot-load", Map.of("tag", tag, "vmstate", drives.getFirst().node(), "devices", nodes(drives)),
                timeout);
    }

    public static void delete(QmpClient qmp, String tag, List<Drive> drives, Duration timeout) {
        run(qmp, "snapshot-delete", Map.of("tag", tag, "devices", nodes(drives)), timeout);
    }

    private static List<String> nodes(List<Drive> drives) {
        return drives.stream().map(Drive::node).toList();
    }

    /** Starts the job, waits for it to conclude (JOB_STATUS_CHANGE events), reads its error, dismisses it. */
    private static void run(QmpClient qmp, String command, Map<String, Object> arguments, Duration timeout) {
        String id = "qc-" + command + "-" + ProcessHandle.current().pid() + "-" + JOB_IDS.incrementAndGet();
        Map<String, Object> args = new java.util.LinkedHashMap<>(arguments);
        args.put("job-id", id);
        qmp.execute(command, args);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Optional<QmpEvent> event = qmp.awaitEvent("JOB_STATUS_CHANGE", Duration.ofNanos(Math.max(0, left)));
            if (event.isEmpty()) {
                throw new QmpException(command + " did not finish within " + timeout.toSeconds() + " s"
                        + (qmp.isConnected() ? "" : " (QEMU exited)"));
            }
            if (id.equals(event.get().data().path("id").asString())
                    && "concluded".equals(event.get().data().path("status").asString())) {
                break;
            }
        }
        String error = "";
        for (JsonNode job : qmp.execute("query-jobs")) {
            if (id.equals(job.path("id").asString())) {
                error = job.path("error").asString("");
            }
        }
        qmp.execute("job-dismiss", Map.of("id", id));
        if (!error.isEmpty()) {
            throw new QmpException(command + " failed: " + error);
        }
    }
}
