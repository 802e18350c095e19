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
 */
public record Firmware(String file, List<Path> candidates, String debianPackage, Mode mode) {

    public enum Mode {
        /** {@code -bios FILE}: a ROM image QEMU maps itself (SeaBIOS, an EDK2 build made for -bios). */
        BIOS,
        /** {@code -drive if=pflash,unit=0,readonly=on}: UEFI code as a flash chip, the way real boards hold it. */
        PFLASH_READ_ONLY
    }

    /** SeaBIOS with the 256 KiB layout q35 needs; Debian's {@code seabios} package (QEMU's own default). */
    public static final Firmware SEABIOS = new Firmware("bios-256k.bin",
            List.of(Path.of("/usr/share/seabios/bios-256k.bin"), Path.of("/usr/share/qemu/bios-256k.bin")),
            "seabios", Mode.BIOS);

    /** x86-64 UEFI (EDK2 OVMF, code and variables in one image) as read-only pflash; Debian's {@code ovmf}. */
    public static final Firmware OVMF = new Firmware("uefi.fd",
            List.of(Path.of("/usr/share/ovmf/OVMF.fd"), Path.of("/usr/share/OVMF/OVMF.fd"),
                    Path.of("/usr/share/qemu/OVMF.fd")),
            "ovmf", Mode.PFLASH_READ_ONLY);

    /** arm64 UEFI (EDK2 ArmVirtQemu) for the virt machine; Debian's {@code qemu-efi-aarch64}. */
    public static final Firmware AARCH64_UEFI = new Firmware("uefi.fd",
            List.of(Path.of("/usr/share/qemu-efi-aarch64/QEMU_EFI.fd"), Path.of("/usr/share/AAVMF/AAVMF_CODE.fd")),
            "qemu-efi-aarch64", Mode.BIOS);

    /** The same EDK2 build where qvm's OpenBSD arm64 driver names Linaro's ({@code linaro_uefi.fd}). */
    public static final Firmware AARCH64_UEFI_FOR_LINARO = new Firmware("linaro_uefi.fd",
            AARCH64_UEFI.candidates(), AARCH64_UEFI.debianPackage(), Mode.BIOS);

    public Firmware {
        candidates = List.copyOf(candidates);
    }

    /** The first candidate that exists. */
    public Optional<Path> locate(Predicate<Path> exists) {
        return candidates.stream().filter(exists).findFirst();
    }

    public Optional<Path> locate() {
        return locate(Files::isRegularFile);
    }
}
