package io.qemucompose.state;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Run in a child JVM by the tests.
 * {@code update <projectDir> <prefix> <count>}: adds VMs prefix-0..count-1, one update each.
 * {@code hold <projectDir>}: takes the project lock, prints LOCKED, holds it until stdin closes.
 * {@code write <file> <text>}: {@link AtomicFiles#write(Path, byte[])}.
 */
public final class StateWorkerMain {

    public static void main(String[] args) throws Exception {
        if (args[0].equals("write")) { // write <file> <text>: AtomicFiles.write with the default mode
            AtomicFiles.write(Path.of(args[1]), args[2].getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return;
        }
        ProjectLayout layout = new ProjectLayout(Path.of(args[1]));
        StateStore store = new StateStore(layout, Duration.ofSeconds(60));
        switch (args[0]) {
            case "update" -> {
                int count = Integer.parseInt(args[3]);
                for (int i = 0; i < count; i++) {
                    String name = args[2] + "-" + i;
                    store.update(s -> s.withVm(name, ProjectState.VmRecord.created(Instant.now())));
                }
                System.out.println("DONE");
            }
            case "hold" -> {
                try (ProjectLock.Held ignored = store.lock()) {
                    System.out.println("LOCKED");
                    System.out.flush();
                    while (System.in.read() != -1) {
                        // hold until the parent closes our stdin
                    }
                }
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
