package io.qemucompose.it.volumes;

import io.qemucompose.driver.image.QemuImg;
import io.qemucompose.driver.volume.VolumeImages;
import io.qemucompose.driver.volume.VolumeMetadata;
import io.qemucompose.driver.volume.VolumeStore;
import io.qemucompose.spec.ByteSize;
import io.qemucompose.state.ProjectLayout;
import java.nio.file.Path;

/**
 * Runs the product's volume creation in a JVM of its own, so a test can start it as another
 * (unprivileged) user: {@code CreateVolumeMain <projectDir> <volume> <size>}. Prints the user it
 * ran as, then the created disk's path.
 */
public final class CreateVolumeMain {

    private CreateVolumeMain() {}

    public static void main(String[] args) {
        System.out.println("user=" + System.getProperty("user.name"));
        VolumeStore store = new VolumeStore(new ProjectLayout(Path.of(args[0])), new VolumeImages(new QemuImg()));
        VolumeMetadata meta = store.create(args[1], ByteSize.parse(args[2]).bytes());
        System.out.println("disk=" + meta.path());
    }
}
