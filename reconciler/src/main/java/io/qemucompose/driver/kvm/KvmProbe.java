package io.qemucompose.driver.kvm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.json.JsonMapper;

/**
 * Decides whether KVM really works, by booting it: {@code /dev/kvm} opening proves nothing (under
 * a nested hypervisor without vmx/svm, guests hang or reset, and QEMU never falls back to TCG).
 *
 * <p>The probe boots a 512-byte boot sector ({@code kvm-probe-boot.S}, shipped assembled) with
 * {@code -accel kvm -cpu host -no-reboot}: it enters long mode with paging, computes a sum and
 * prints {@value #MARKER} on the serial port. No kernel, no guest image, no root needed. Under TCG
 * the same payload finishes in ~0.2 s; KVM gets {@link #DEFAULT_DEADLINE}.
 *
 * <p>The answer is cached in a JSON file keyed by the host kernel release, the QEMU version, the
 * state of /dev/kvm and the payload, so it is re-probed when any of them changes.
 */
public final class KvmProbe {

    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(8);
    static final String MARKER = "KVMPROBE-OK";
    private static final String PAYLOAD = "kvm-probe-boot.bin";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The outcome; {@code cached} when it was read from the cache file rather than measured now. */
    public record Result(boolean usable, String reason, Duration elapsed, boolean cached) {
    }

    record CacheEntry(String key, boolean usable, String reason, long elapsedMillis, String probedAt) {
    }

    private final String qemuBinary;
    private final Path kvmDevice;
    private final Path cacheFile;
    private final Duration deadline;

    public KvmProbe(String qemuBinary, Path kvmDevice, Path cacheFile, Duration deadline) {
        this.qemuBinary = qemuBinary;
        this.kvmDevice = kvmDevice;
        this.cacheFile = cacheFile;
        this.deadline = deadline;
    }

    /** qemu-system-x86_64 from PATH, /dev/kvm, ~/.cache/qemu-compose/kvm-probe.json (XDG_CACHE_HOME honoured). */
    public static KvmProbe defaults() {
        String cacheHome = System.getenv("XDG_CACHE_HOME");
        Path cache = (cacheHome == null || cacheHome.isBlank()
                ? Path.of(System.getProperty("user.home"), ".cache") : Path.of(cacheHome))
                .resolve("qemu-compose").resolve("kvm-probe.json");
        return new KvmProbe("qemu-system-x86_64", Path.of("/dev/kvm"), cache, DEFAULT_DEADLINE);
    }

    public Accelerator choose() {
        return probe().usable() ? Accelerator.KVM : Accelerator.TCG;
    }

    /** The cached answer when its key still matches this host, otherwise a fresh probe (then cached). */
    public Result probe() {
        String key = cacheKey();
        var cached = readCache();
        if (cached != null && cached.key().equals(key)) {
            return new Result(cached.usable(), cached.reason(), Duration.ofMillis(cached.elapsedMillis()), true);
        }
        Result result = probeNow();
        writeCache(new CacheEntry(key, result.usable(), result.reason(), result.elapsed().toMillis(),
                Instant.now().toString()));
        return result;
    }

    /** Boots the probe payload under KVM now, ignoring the cache. */
    public Result probeNow() {
        return boot(Accelerator.KVM);
    }

    /**
     * Boots the probe payload with the given accelerator. Under {@link Accelerator#TCG} it must
     * always pass: that proves the payload and QEMU are fine when KVM fails.
     */
    public Result boot(Accelerator accelerator) {
        long start = System.nanoTime();
        if (accelerator == Accelerator.KVM && !Files.exists(kvmDevice)) {
            return new Result(false, kvmDevice + " does not exist", elapsedSince(start), false);
        }
        if (accelerator == Accelerator.KVM && (!Files.isReadable(kvmDevice) || !Files.isWritable(kvmDevice))) {
            return new Result(false, kvmDevice + " is not read-writable by this user", elapsedSince(start), false);
        }
        Path payload = null;
        Process qemu = null;
        try {
            payload = Files.createTempFile("qemu-compose-kvm-probe", ".img");
            try (InputStream in = resource()) {
                Files.copy(in, payload, StandardCopyOption.REPLACE_EXISTING);
            }
            var command = new java.util.ArrayList<>(List.of(qemuBinary));
            command.addAll(accelerator.qemuArgs());
            command.addAll(List.of("-machine", "pc", "-cpu", accelerator.cpuModel(), "-m", "32", "-nodefaults",
                    "-display", "none", "-no-reboot", "-monitor", "none", "-serial", "stdio", "-drive", "file=" + payload + ",format=raw,if=floppy", "-boot", "a"));
            qemu = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .start();
            qemu.getOutputStream().close();
            var output = new SerialWatch(qemu.getInputStream(), MARKER);
            boolean seen = output.await(deadline);
            Duration elapsed = elapsedSince(start);
            if (seen) {
                return new Result(true, "a long-mode guest ran under " + accelerator + " in " + elapsed.toMillis() + " ms", elapsed, false);
            }
            if (qemu.waitFor(200, TimeUnit.MILLISECONDS)) {
                return new Result(false, "QEMU with " + accelerator + " exited (" + qemu.exitValue() + ") without output: "
                        + output.lastLine(), elapsed, false);
            }
            return new Result(false, "no guest output under " + accelerator + " within " + deadline.toSeconds()
                    + " s (KVM present but not functional, e.g. nested virtualization without vmx/svm)",
                    elapsed, false);
        } catch (IOException e) {
            return new Result(false, "cannot run " + qemuBinary + ": " + e.getMessage(), elapsedSince(start), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, "interrupted", elapsedSince(start), false);
        } finally {
            if (qemu != null) {
                qemu.destroyForcibly();
            }
            if (payload != null) {
                try {
                    Files.deleteIfExists(payload);
                } catch (IOException ignored) {
                    // a 512-byte temp file
                }
            }
        }
    }

    String cacheKey() {
        String kernel = readOrEmpty(Path.of("/proc/sys/kernel/osrelease")).strip();
        String kvm = !Files.exists(kvmDevice) ? "absent"
                : (Files.isReadable(kvmDevice) && Files.isWritable(kvmDevice)) ? "rw" : "no-access";
        return String.join("|", "kernel=" + kernel, "qemu=" + qemuVersion(), "kvm=" + kvm, "payload=" + payloadHash());
    }

    private String qemuVersion() {
        try {
            Process p = new ProcessBuilder(qemuBinary, "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            return out.lines().findFirst().orElse("").strip();
        } catch (IOException e) {
            return "missing";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static String payloadHash() {
        try (InputStream in = resource()) {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(in.readAllBytes());
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("the KVM probe payload is missing from the build", e);
        }
    }

    private static InputStream resource() throws IOException {
        InputStream in = KvmProbe.class.getResourceAsStream(PAYLOAD);
        if (in == null) {
            throw new IOException("resource " + PAYLOAD + " missing");
        }
        return in;
    }

    private CacheEntry readCache() {
        try {
            return Files.exists(cacheFile) ? JSON.readValue(cacheFile.toFile(), CacheEntry.class) : null;
        } catch (RuntimeException e) {
            return null; // unreadable cache: probe again
        }
    }

    private void writeCache(CacheEntry entry) {
        try {
            Files.createDirectories(cacheFile.getParent());
            Path tmp = Files.createTempFile(cacheFile.getParent(), "kvm-probe", ".tmp");
            JSON.writeValue(tmp.toFile(), entry);
            Files.move(tmp, cacheFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            // not cached: the next call probes again, which is only slower
        }
    }

    private static String readOrEmpty(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    private static Duration elapsedSince(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
