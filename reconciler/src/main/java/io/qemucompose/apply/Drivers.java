package io.qemucompose.apply;

import io.qemucompose.driver.cloudinit.SeedImage;
import io.qemucompose.driver.cloudinit.SeedRenderer;
import io.qemucompose.driver.image.ImageCache;
import io.qemucompose.driver.image.ImagePuller;
import io.qemucompose.driver.image.QemuImg;
import io.qemucompose.driver.kvm.Accelerator;
import io.qemucompose.driver.kvm.KvmProbe;
import io.qemucompose.driver.net.PortLeases;
import io.qemucompose.driver.systemd.SystemdUserManager;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Everything the reconciler touches outside the JVM, created once per command. The systemd
 * connection and the accelerator probe are made only when first needed, so {@code plan} on a
 * project without running VMs stays cheap.
 */
public final class Drivers implements AutoCloseable {

    private final Map<String, String> environment;
    private final ImageCache images;
    private final QemuImg qemuImg;
    private final PortLeases portLeases;
    private final SeedRenderer seedRenderer = new SeedRenderer();
    private final SeedImage seedImage = new SeedImage();
    private final Supplier<SystemdUserManager> systemdFactory;
    private final Supplier<Accelerator> acceleratorFactory;
    private SystemdUserManager systemd;
    private Accelerator accelerator;

    public Drivers(Map<String, String> environment, ImageCache images, QemuImg qemuImg, PortLeases portLeases,
            Supplier<SystemdUserManager> systemd, Supplier<Accelerator> accelerator) {
        this.environment = Map.copyOf(environment);
        this.images = images;
        this.qemuImg = qemuImg;
        this.portLeases = portLeases;
        this.systemdFactory = systemd;
        this.acceleratorFactory = accelerator;
    }

    /** The real drivers for the current user, configured from the environment. */
    public static Drivers forUser(Map<String, String> environment) {
        Path home = Path.of(System.getProperty("user.home"));
        return new Drivers(environment, ImageCache.forCurrentUser(), new QemuImg(),
                new PortLeases(PortLeases.defaultRegistryDir(environment, home)),
                () -> environment.containsKey("DBUS_SESSION_BUS_ADDRESS")
                        ? SystemdUserManager.connect(environment.get("DBUS_SESSION_BUS_ADDRESS"))
                        : SystemdUserManager.connect(),
                () -> acceleratorFrom(environment));
    }

    private static Accelerator acceleratorFrom(Map<String, String> environment) {
        String forced = environment.getOrDefault("QEMU_COMPOSE_ACCEL", "").trim().toLowerCase(java.util.Locale.ROOT);
        return switch (forced) {
            case "tcg" -> Accelerator.TCG;
            case "kvm" -> Accelerator.KVM;
            default -> KvmProbe.defaults().choose();
        };
    }

    public Map<String, String> environment() {
        return environment;
    }

    public ImageCache images() {
        return images;
    }

    public ImagePuller puller() {
        return new ImagePuller(images);
    }

    public QemuImg qemuImg() {
        return qemuImg;
    }

    public PortLeases portLeases() {
        return portLeases;
    }

    public SeedRenderer seedRenderer() {
        return seedRenderer;
    }

    public SeedImage seedImage() {
        return seedImage;
    }

    public String qemuBinary() {
        return environment.getOrDefault("QEMU_COMPOSE_QEMU", "qemu-system-x86_64");
    }

    public synchronized SystemdUserManager systemd() {
        if (systemd == null) {
            systemd = systemdFactory.get();
        }
        return systemd;
    }

    public synchronized Accelerator accelerator() {
        if (accelerator == null) {
            accelerator = acceleratorFactory.get();
        }
        return accelerator;
    }

    @Override
    public synchronized void close() {
        if (systemd != null) {
            systemd.close();
            systemd = null;
        }
    }
}
