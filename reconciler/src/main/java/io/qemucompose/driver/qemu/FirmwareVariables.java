package io.qemucompose.driver.qemu;

import io.qemucompose.state.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A VM's own UEFI variable store, made from the firmware's empty template. The template is the
 * 64 MiB a flash bank of the virt machine needs and almost all of it is zeros (Debian's
 * {@code AAVMF_VARS.fd}: entirely so), so it is copied sparsely: blocks of zeros become holes and
 * a new VM's store takes next to no disk. Written beside the target and renamed into place, so a
 * crash never leaves a half-copied store that the firmware would take for a corrupt one.
 */
public final class FirmwareVariables {

    private static final int BLOCK = 64 * 1024;

    private FirmwareVariables() {
    }

    /** Creates {@code store} from {@code template} unless it exists; returns whether it was created. */
    public static boolean ensure(Path template, Path store) {
        if (Files.isRegularFile(store)) {
            return false;
        }
        Path part = store.resolveSibling(store.getFileName() + ".part");
        try {
            copySparse(template, part);
            AtomicFiles.moveIntoPlace(part, store);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the UEFI variable store " + store + " from " + template, e);
        } finally {
            try {
                Files.deleteIfExists(part);
            } catch (IOException ignored) {
                // the next start writes it again
            }
        }
    }

    static void copySparse(Path from, Path to) throws IOException {
        try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                     StandardOpenOption.WRITE)) {
            ByteBuffer block = ByteBuffer.allocate(BLOCK);
            long size = in.size();
            long position = 0;
            while (position < size) {
                block.clear();
                int n = in.read(block, position);
                if (n < 0) {
                    break;
                }
                block.flip();
                if (!zeros(block)) {
                    while (block.hasRemaining()) {
                        out.write(block, position + block.position());
                    }
                }
                position += n;
            }
            // a trailing hole: writing the last byte gives the file its full length
            if (out.size() < size) {
                out.write(ByteBuffer.allocate(1), size - 1);
            }
        }
    }

    private static boolean zeros(ByteBuffer block) {
        for (int i = block.position(); i < block.limit(); i++) {
            if (block.get(i) != 0) {
                return false;
            }
        }
        return true;
    }
}
