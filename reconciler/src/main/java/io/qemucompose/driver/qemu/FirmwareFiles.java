package io.qemucompose.driver.qemu;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A profile's firmware as found for one VM: the code (shared, from Debian's package) and, for
 * {@link Firmware.Mode#PFLASH_WITH_VARIABLES}, the VM's own variable store in its folder.
 */
public record FirmwareFiles(Path code, Optional<Path> variables) {

    public FirmwareFiles {
        code = Objects.requireNonNull(code, "code").toAbsolutePath().normalize();
        variables = Objects.requireNonNull(variables, "variables").map(p -> p.toAbsolutePath().normalize());
    }

    /** Firmware that is one file (SeaBIOS, {@code -bios} UEFI, OVMF in one image). */
    public static FirmwareFiles code(Path code) {
        return new FirmwareFiles(code, Optional.empty());
    }
}
