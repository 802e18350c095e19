package io.qemucompose.driver.qemu;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The boot firmware a device profile needs, looked up where Debian's packages install it.
 *
 * @param file       the spec's name for it (qvm's {@code $QVM_CACHE/share/qemu/<file>})
 * @param candidates absolute paths to try, in order
 * @param debianPackage the package that installs the first candidate ({@code doctor} names it)
 * @param mode       how QEMU takes it
 * @param variableTemplates for {@link Mode#PFLASH_WITH_VARIABLES}: the empty variable store each VM
 *                   gets a copy of, paths to try in order (beside the code, from the same package)
 */
public record Firmware(String file, List<Path> candidates, String debianPackage, Mode mode,
        List<Path> variableTemplates) {

    public enum Mode {
        /** {@code -bios FILE}: a ROM image QEMU maps itself (SeaBIOS, an EDK2 build made for -bios). */
        BIOS,
        /** {@code -drive if=pflash,unit=0,readonly=on}: UEFI code as a flash chip, the way real boards hold it. */
        PFLASH_READ_ONLY,
        /**
         * UEFI code as read-only flash bank 0 and a per-VM copy of the variable store as writable
         * bank 1, as libvirt runs AAVMF/OVMF: the firmware keeps its boot entries in the VM's own
         * file, and nothing the guest writes reaches the shared code.
         */
        PFLASH_WITH_VARIABLES
    }

    /** SeaBIOS with the 256 KiB layout q35 needs; Debian's {@code seabios} package (QEMU's own default). */
    public static final Firmware SEABIOS = new Firmware("bios-256k.bin",
            List.of(Path.of("/usr/share/seabios/bios-256k.bin"), Path.of("/usr/share/qemu/bios-256k.bin")),
            "seabios", Mode.BIOS, List.of());

    /** x86-64 UEFI (EDK2 OVMF, code and variables in one image) as read-only pflash; Debian's {@code ovmf}. */
    public static final Firmware OVMF = new Firmware("uefi.fd",
            List.of(Path.of("/usr/share/ovmf/OVMF.fd"), Path.of("/usr/share/OVMF/OVMF.fd"),
                    Path.of("/usr/share/qemu/OVMF.fd")),
            "ovmf", Mode.PFLASH_READ_ONLY, List.of());

    /**
     * arm64 UEFI (EDK2 ArmVirtQemu) for the virt machine as {@code -bios}, the 2 MiB build qvm's arm64
     * drivers load; Debian's {@code qemu-efi-aarch64}.
     */
    public static final Firmware AARCH64_UEFI = new Firmware("uefi.fd",
            List.of(Path.of("/usr/share/qemu-efi-aarch64/QEMU_EFI.fd"), Path.of("/usr/share/AAVMF/AAVMF_CODE.fd")),
            "qemu-efi-aarch64", Mode.BIOS, List.of());

    /** The same EDK2 build where qvm's OpenBSD arm64 driver names Linaro's ({@code linaro_uefi.fd}). */
    public static final Firmware AARCH64_UEFI_FOR_LINARO = new Firmware("linaro_uefi.fd",
            AARCH64_UEFI.candidates(), AARCH64_UEFI.debianPackage(), Mode.BIOS, List.of());

    /**
     * arm64 UEFI as two flash banks (AAVMF, the same package): code and variable store are each the
     * 64 MiB the virt machine's banks need. What boots the Linux arm64 profile (proven by
     * {@code Arm64GuestIT}).
     */
    public static final Firmware AAVMF = new Firmware("AAVMF_CODE.fd",
            List.of(Path.of("/usr/share/AAVMF/AAVMF_CODE.fd")), "qemu-efi-aarch64", Mode.PFLASH_WITH_VARIABLES,
            List.of(Path.of("/usr/share/AAVMF/AAVMF_VARS.fd")));

    public Firmware {
        candidates = List.copyOf(candidates);
        variableTemplates = List.copyOf(variableTemplates);
        if ((mode == Mode.PFLASH_WITH_VARIABLES) == variableTemplates.isEmpty()) {
            throw new IllegalArgumentException(file + ": a variable store template is needed by, and only by, "
                    + Mode.PFLASH_WITH_VARIABLES);
        }
    }

    /** Whether each VM keeps its own copy of a variable store. */
    public boolean hasVariables() {
        return mode == Mode.PFLASH_WITH_VARIABLES;
    }

    /** The first variable store template that exists. */
    public Optional<Path> locateVariableTemplate(Predicate<Path> exists) {
        return variableTemplates.stream().filter(exists).findFirst();
    }

    /** The first candidate that exists. */
    public Optional<Path> locate(Predicate<Path> exists) {
        return candidates.stream().filter(exists).findFirst();
    }

    public Optional<Path> locate() {
        return locate(Files::isRegularFile);
    }
}
