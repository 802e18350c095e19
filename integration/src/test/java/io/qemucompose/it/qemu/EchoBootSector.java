package io.qemucompose.it.qemu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A 512-byte boot sector, written by the tests, that prints {@link #BANNER} on the first serial port
 * (programming the 16550 UART at 0x3F8 directly) and then echoes every byte it receives. SeaBIOS boots
 * it in about a second under TCG; it gives real bytes in both directions over console.sock without a
 * guest OS. It ignores ACPI, so it also plays a guest that does not react to the power button.
 */
final class EchoBootSector {

    static final String BANNER = "QC-ECHO READY\r\n";

    // 16-bit real mode, loaded at 0000:7C00. Offsets on the right.
    private static final int[] CODE = {
        0xFA,                   // 00 cli
        0x31, 0xC0,             // 01 xor ax,ax
        0x8E, 0xD8,             // 03 mov ds,ax
        0xFC,                   // 05 cld
        0xBE, 0x33, 0x7C,       // 06 mov si,0x7C33 (banner)
        0xAC,                   // 09 print: lodsb
        0x84, 0xC0,             // 0A test al,al
        0x74, 0x05,             // 0C jz echo
        0xE8, 0x13, 0x00,       // 0E call putc
        0xEB, 0xF6,             // 11 jmp print
        0xBA, 0xFD, 0x03,       // 13 echo: mov dx,0x3FD (line status)
        0xEC,                   // 16 rx: in al,dx
        0xA8, 0x01,             // 17 test al,1 (data ready)
        0x74, 0xFB,             // 19 jz rx
        0xBA, 0xF8, 0x03,       // 1B mov dx,0x3F8
        0xEC,                   // 1E in al,dx
        0xE8, 0x02, 0x00,       // 1F call putc
        0xEB, 0xEF,             // 22 jmp echo
        0x50,                   // 24 putc: push ax
        0xBA, 0xFD, 0x03,       // 25 mov dx,0x3FD
        0xEC,                   // 28 tx: in al,dx
        0xA8, 0x20,             // 29 test al,0x20 (transmitter empty)
        0x74, 0xFB,             // 2B jz tx
        0x58,                   // 2D pop ax
        0xBA, 0xF8, 0x03,       // 2E mov dx,0x3F8
        0xEE,                   // 31 out dx,al
        0xC3,                   // 32 ret
    };                          // 33 banner

    private EchoBootSector() {
    }

    /** Writes a 1 MiB raw disk whose first sector is the echo program. */
    static Path write(Path file) throws IOException {
        byte[] disk = new byte[1024 * 1024];
        for (int i = 0; i < CODE.length; i++) {
            disk[i] = (byte) CODE[i];
        }
        byte[] banner = BANNER.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(banner, 0, disk, CODE.length, banner.length); // NUL-terminated by the zeroed buffer
        disk[510] = 0x55;
        disk[511] = (byte) 0xAA;
        return Files.write(file, disk);
    }
}
