package io.qemucompose.driver.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.driver.kvm.Accelerator;
import io.qemucompose.golden.GoldenFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A VM that resumes is the same machine as the one that was suspended, started to wait for its state. */
class QemuResumeCommandLineTest {

    private static final Path VM_DIR = Path.of("/srv/my, proj/.qemu-compose/web");

    private static VmRuntimeSpec spec() {
        return new VmRuntimeSpec("proj", "web", "qemu-system-x86_64", Accelerator.TCG, MachineType.PC, Optional.empty(),
                2, 1024, VM_DIR.resolve("disk.qcow2"), Optional.of(VM_DIR.resolve("cloud-init.iso")),
                List.of(new DataDisk(Path.of("/srv/my, proj/.qemu-compose/volumes/data.qcow2"), "qcow2", "qc-data", false)),
                List.of(new Share(Path.of("/srv/my, proj/src"), "mount0", "none", false)),
                List.of(new UserNetwork("52:54:00:12:34:56", 2222, List.of(), true)),
                QemuRuntimeFiles.in(VM_DIR));
    }

    @Test
    void resumingAddsOnlyADeferredIncomingAtTheEndSoTheMachineShapeIsIdentical() {
        List<String> boot = QemuCommandLine.argv(spec());
        List<String> resume = QemuCommandLine.argv(spec().resuming());
        List<String> expected = new ArrayList<>(boot);
        expected.addAll(List.of("-incoming", "defer"));
        assertThat(resume).containsExactlyElementsOf(expected);
        assertThat(boot).doesNotContain("-incoming");
    }

    @Test
    void resumeArgvMatchesGoldenFile() {
        GoldenFile.assertMatches(Path.of("src/test/resources/golden", "qemu-argv-resume.txt"),
                String.join("\n", QemuCommandLine.argv(spec().resuming())) + "\n");
    }
}
