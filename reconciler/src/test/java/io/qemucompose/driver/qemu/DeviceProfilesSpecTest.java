package io.qemucompose.driver.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qemucompose.driver.kvm.Accelerator;
import io.qemucompose.golden.GoldenFile;
import io.qemucompose.spec.GuestArch;
import io.qemucompose.spec.GuestOs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our command line for each of qvm's eight drivers against the listing in its specification
 * ({@code profiles/qvm-drivers.txt}, copied from it): every option the listing fixes must be in ours
 * with the same values, translated only where {@link #translate} says why; what we add on top is
 * listed in a golden file per profile, so an addition is a reviewed decision, never an accident.
 */
class DeviceProfilesSpecTest {

    private static final Path VM_DIR = Path.of("/srv/proj/.qemu-compose/bsd");
    private static final Path OVERLAY = VM_DIR.resolve("disk.qcow2");
    private static final int SPEC_SSH_PORT = 2847;
    private static final Path GOLDEN = Path.of("src/test/resources/golden/profiles");

    static Stream<String> qvmDrivers() throws IOException {
        return listings().keySet().stream();
    }

    @Test
    void everyQvmDriverHasAProfileAndNoProfileLacksAListing() throws IOException {
        List<String> qvm = DeviceProfiles.all().stream().filter(p -> p.os() != GuestOs.LINUX).map(DeviceProfile::name).toList();
        assertThat(qvm).containsExactlyInAnyOrderElementsOf(listings().keySet()).hasSize(8);
    }

    @ParameterizedTest
    @MethodSource("qvmDrivers")
    void fixedPartsOfTheSpecListingAreInOurCommandLine(String driver) throws IOException {
        DeviceProfile profile = profile(driver);
        List<String> ours = QemuCommandLine.argv(spec(profile, 6144, false));
        List<String> listing = shellWords(listings().get(driver));

        assertThat(ours.getFirst()).isEqualTo(listing.getFirst());
        List<Option> expected = translate(profile, options(listing.subList(1, listing.size())));
        List<Option> actual = new ArrayList<>(options(ours.subList(1, ours.size())));
        List<String> additions = new ArrayList<>();
        for (Option want : expected) {
            Option got = actual.stream().filter(o -> o.covers(want)).findFirst().orElse(null);
            assertThat(got).as("%s: the listing's %s (options here: %s)", driver, want, actual).isNotNull();
            actual.remove(got);
            List<String> extra = got.props().stream().filter(p -> !want.props().contains(p)).toList();
            if (!extra.isEmpty()) {
                additions.add(want.flag() + " " + want.value() + "  + " + String.join(",", extra));
            }
        }
        actual.forEach(o -> additions.add("+ " + o));
        GoldenFile.assertMatches(GOLDEN.resolve(driver + ".additions.txt"), String.join("\n", additions) + "\n");
    }

    @ParameterizedTest
    @MethodSource("allProfiles")
    void commandLineOfEveryProfileMatchesItsGoldenFile(String name) {
        DeviceProfile profile = profile(name);
        String argv = String.join("\n", QemuCommandLine.argv(spec(profile, 2048, true))) + "\n";
        GoldenFile.assertMatches(GOLDEN.resolve(name + ".argv.txt"), argv);
    }

    static Stream<String> allProfiles() {
        return DeviceProfiles.all().stream().map(DeviceProfile::name);
    }

    @Test
    void underKvmTheArm64ProfilesRunTheHostCpuAndX86BsdsKeepMax() {
        assertThat(profile("freebsd-arm64").cpu(Accelerator.KVM)).isEqualTo("host");
        assertThat(profile("freebsd-arm64").cpu(Accelerator.TCG)).isEqualTo("cortex-a57");
        assertThat(profile("openbsd-x86-64").cpu(Accelerator.KVM)).isEqualTo("max,-pdpe1gb");
    }

    @Test
    void linuxArm64BootsAavmfAsReadOnlyCodeAndTheVmsOwnVariableStore() {
        DeviceProfile profile = profile("linux-arm64");
        assertThat(profile.firmware()).contains(Firmware.AAVMF);
        List<String> argv = QemuCommandLine.argv(spec(profile, 1024, true));
        assertThat(String.join(" ", argv)).contains(
                "-drive if=pflash,format=raw,unit=0,file=/usr/share/AAVMF/AAVMF_CODE.fd,readonly=on "
                        + "-drive if=pflash,format=raw,unit=1,file=" + VM_DIR.resolve("efi-vars.fd"))
                .doesNotContain("-bios");
        // the unit-1 bank is written by the firmware: it must never be shared or read-only
        assertThat(argv.stream().filter(a -> a.contains("unit=1")).findFirst().orElseThrow()).doesNotContain("readonly");
    }

    @Test
    void aVariableStoreIsRequiredByTheProfilesThatKeepOneAndRefusedByTheOthers() {
        DeviceProfile arm = profile("linux-arm64");
        assertThatThrownBy(() -> new VmRuntimeSpec("proj", "vm", "qemu-system-aarch64", Accelerator.TCG, arm,
                Optional.of(FirmwareFiles.code(Path.of("/usr/share/AAVMF/AAVMF_CODE.fd"))), Optional.empty(), 2, 1024,
                OVERLAY, Optional.empty(), List.of(), List.of(), List.of(), QemuRuntimeFiles.in(VM_DIR)))
                .hasMessageContaining("needs the VM's UEFI variable store");
        DeviceProfile bsd = profile("freebsd-arm64");
        assertThatThrownBy(() -> new VmRuntimeSpec("proj", "vm", "qemu-system-aarch64", Accelerator.TCG, bsd,
                Optional.of(new FirmwareFiles(firmwarePath(bsd), Optional.of(VM_DIR.resolve("efi-vars.fd")))),
                Optional.empty(), 2, 1024, OVERLAY, Optional.empty(), List.of(), List.of(), List.of(),
                QemuRuntimeFiles.in(VM_DIR)))
                .hasMessageContaining("keeps no UEFI variable store");
    }

    @Test
    void eachOsAndArchitectureFindsItsProfile() {
        assertThat(DeviceProfiles.of(GuestOs.HAIKU, GuestArch.X86_64)).map(DeviceProfile::name).contains("haiku-x86-64");
        assertThat(DeviceProfiles.of(GuestOs.HAIKU, GuestArch.AARCH64)).isEmpty();
        assertThat(DeviceProfiles.platformsOf(GuestOs.OMNIOS)).containsExactly("linux/amd64");
    }

    /**
     * The listing's options as we must write them, each change with its reason. Nothing else may differ.
     */
    private static List<Option> translate(DeviceProfile profile, List<Option> listing) {
        var out = new ArrayList<Option>();
        for (Option o : listing) {
            String value = o.value() == null ? null : o.value()
                    // our ids: one naming scheme for every profile (net0, disk0), as in the Linux command line
                    .replace("id=user.0", "id=net0").replace("netdev=user.0", "netdev=net0")
                    .replace("drive=drive0", "drive=disk0").replace("id=drive0", "id=disk0")
                    .replace("$VM_IMAGE", OVERLAY.toString());
            if (value != null && value.startsWith("$QVM_CACHE/share/qemu/") || value != null && value.contains("file=$QVM_CACHE")) {
                String file = value.substring(value.indexOf("$QVM_CACHE/share/qemu/") + "$QVM_CACHE/share/qemu/".length())
                        .split(",")[0];
                assertThat(profile.firmware()).map(Firmware::file).contains(file);
                value = value.replace("$QVM_CACHE/share/qemu/" + file, firmwarePath(profile).toString());
            }
            switch (o.flag()) {
                // accel=hvf:kvm:tcg picks KVM whenever /dev/kvm opens and never falls back from a broken one:
                // we probe KVM ourselves and pass exactly one accelerator (TCG in this test)
                case "-machine" -> {
                    assertThat(value).endsWith(",accel=hvf:kvm:tcg");
                    out.add(new Option("-machine", value.replace("type=", "").replace(",accel=hvf:kvm:tcg", "")));
                    out.add(new Option("-accel", "tcg"));
                }
                // the VM's memory: 6 GiB in this test, as qvm fixes it
                case "-m" -> out.add(new Option("-m", value.replace("6G", "6144M")));
                // forwards listen on loopback only (secure by default); the port is the VM's leased one
                case "-netdev" -> out.add(new Option("-netdev", value.replace("hostfwd=tcp::", "hostfwd=tcp:127.0.0.1:")));
                default -> out.add(new Option(o.flag(), value));
            }
        }
        return out;
    }

    private static VmRuntimeSpec spec(DeviceProfile profile, int memoryMb, boolean restrict) {
        return new VmRuntimeSpec("proj", "bsd", profile.arch().qemuBinary(), Accelerator.TCG, profile,
                profile.firmware().map(f -> new FirmwareFiles(firmwarePath(profile),
                        f.hasVariables() ? Optional.of(VM_DIR.resolve("efi-vars.fd")) : Optional.empty())),
                Optional.empty(), 2, memoryMb, OVERLAY,
                profile.cloudInit() ? Optional.of(VM_DIR.resolve("cloud-init.iso")) : Optional.empty(), List.of(),
                List.of(), List.of(new UserNetwork("52:54:00:12:34:56", SPEC_SSH_PORT, List.of(), restrict)),
                QemuRuntimeFiles.in(VM_DIR));
    }

    private static Path firmwarePath(DeviceProfile profile) {
        return profile.firmware().orElseThrow().candidates().getFirst();
    }

    private static DeviceProfile profile(String name) {
        return DeviceProfiles.all().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    /** One option: a flag and its value, the value's comma-separated parts compared as a set. */
    record Option(String flag, String value) {
        List<String> props() {
            return value == null ? List.of() : Arrays.asList(value.split(","));
        }

        /** Same flag, the same device or backend (a first part without '='), and every part of {@code want}. */
        boolean covers(Option want) {
            if (!flag.equals(want.flag())) {
                return false;
            }
            if (want.value() == null || value == null) {
                return want.value() == null && value == null;
            }
            String kind = want.props().getFirst();
            return (kind.contains("=") || props().getFirst().equals(kind))
                    && new LinkedHashSet<>(props()).containsAll(want.props());
        }

        @Override
        public String toString() {
            return value == null ? flag : flag + " " + value;
        }
    }

    private static List<Option> options(List<String> words) {
        var out = new ArrayList<Option>();
        for (int i = 0; i < words.size(); i++) {
            String flag = words.get(i);
            assertThat(flag).startsWith("-");
            if (i + 1 < words.size() && !words.get(i + 1).startsWith("-")) {
                out.add(new Option(flag, words.get(++i)));
            } else {
                out.add(new Option(flag, null));
            }
        }
        return out;
    }

    /** The listing's words as sh would split them: backslash-newline joins lines, double quotes group. */
    private static List<String> shellWords(String listing) {
        String text = listing.replace("\\\n", " ");
        var words = new ArrayList<String>();
        var word = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (char c : text.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (Character.isWhitespace(c) && !quoted) {
                if (any) {
                    words.add(word.toString());
                    word.setLength(0);
                    any = false;
                }
            } else {
                word.append(c);
                any = true;
            }
        }
        if (any) {
            words.add(word.toString());
        }
        return words;
    }

    private static Map<String, String> listings() throws IOException {
        String text;
        try (InputStream in = DeviceProfilesSpecTest.class.getResourceAsStream("/profiles/qvm-drivers.txt")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        var out = new LinkedHashMap<String, String>();
        String name = null;
        var body = new StringBuilder();
        for (String line : text.lines().toList()) {
            if (line.startsWith("## ")) {
                if (name != null) {
                    out.put(name, body.toString());
                }
                name = line.substring(3).strip();
                body.setLength(0);
            } else if (name != null && !line.isBlank()) {
                body.append(line).append('\n');
            }
        }
        if (name != null) {
            out.put(name, body.toString());
        }
        return out;
    }
}
