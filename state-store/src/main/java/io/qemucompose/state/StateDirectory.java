package io.qemucompose.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The project's {@code .qemu-compose/} folder as qemu-compose insists on having it: a real folder
 * (not a symlink), owned by us, mode 0700. It holds the project's private SSH key, the seeds
 * (with the guest user's password hash) and the sockets that control the VMs, so no other local
 * user may look in; and a symlink committed to a repository ({@code .qemu-compose -> ~/.ssh})
 * must not make qemu-compose write into a folder of the symlink's choosing.
 */
public final class StateDirectory {

    static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");

    private StateDirectory() {
    }

    /** Creates {@code dir} (mode 0700) or checks and tightens the one that exists. */
    public static Path ensure(Path dir) {
        try {
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(dir.toAbsolutePath().getParent());
                try {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PRIVATE));
                } catch (FileAlreadyExistsException raced) {
                    // another qemu-compose made it at the same moment: checked below like any other
                }
            }
            if (Files.isSymbolicLink(dir)) {
                throw new StateFileException(dir + " is a symbolic link; qemu-compose keeps project state only in a "
                        + "real folder it owns: remove the link");
            }
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw new StateFileException(dir + " is not a folder; remove it");
            }
            int owner = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            if (owner != SocketAlias.currentUid()) {
                throw new StateFileException(dir + " belongs to uid " + owner + ", not to us (uid "
                        + SocketAlias.currentUid() + "); remove it");
            }
            if (!Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS).equals(PRIVATE)) {
                Files.setPosixFilePermissions(dir, PRIVATE);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Refuses {@code file} when it is a symlink or anything else than a regular file (when it exists). */
    static void requireRegularOrAbsent(Path file) {
        if (Files.isSymbolicLink(file)) {
            throw new StateFileException(file + " is a symbolic link; qemu-compose opens nothing in its state folder "
                    + "through a link: remove it");
        }
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new StateFileException(file + " is not a regular file; remove it");
        }
    }
}
