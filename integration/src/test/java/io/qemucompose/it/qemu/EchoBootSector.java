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
 * {@link #writePowerButtonAware} writes a variant that behaves like a well-mannered OS instead.
 */
public final class EchoBootSector {

    public static final String BANNER = "QC-ECHO READY\r\n";
    /** What the power-button-aware variant prints before it powers the machine off. */
    public static final String POWER_OFF = "QC-ECHO POWER OFF\r\n";
    /** Typed into the power-button-aware variant's console, it powers off (a guest that ends by itself). */
    public static final char POWER_OFF_KEY = 'q';

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

    /**
     * The echo program for q35 (whose ACPI PM registers SeaBIOS puts at 0x600), which also watches
     * the power button: it enables the button's event (PM1_EN bit 8), polls PM1_STS, and on a press
     * (QMP {@code system_powerdown}) or the key {@link #POWER_OFF_KEY} prints {@link #POWER_OFF} and
     * enters S5 (PM1_CNT = SLP_EN, type 0), so QEMU exits 0. Assembled from GNU as {@code .code16}.
     */
    private static final int[] POWER_BUTTON_CODE = {
        0xFA,                   // 00 cli
        0x31, 0xC0,             // 01 xor ax,ax
        0x8E, 0xD8,             // 03 mov ds,ax
        0xFC,                   // 05 cld
        0xBE, 0x5B, 0x7C,       // 06 mov si,0x7C5B (banner)
        0xE8, 0x35, 0x00,       // 09 call puts
        0xBA, 0x02, 0x06,       // 0C mov dx,0x602 (PM1_EN)
        0xB8, 0x00, 0x01,       // 0F mov ax,0x100 (power button)
        0xEF,                   // 12 out dx,ax
        0xBA, 0x00, 0x06,       // 13 loop: mov dx,0x600 (PM1_STS)
        0xED,                   // 16 in ax,dx
        0xA9, 0x00, 0x01,       // 17 test ax,0x100
        0x75, 0x15,             // 1A jnz off
        0xBA, 0xFD, 0x03,       // 1C mov dx,0x3FD (line status)
        0xEC,                   // 1F in al,dx
        0xA8, 0x01,             // 20 test al,1 (data ready)
        0x74, 0xEF,             // 22 jz loop
        0xBA, 0xF8, 0x03,       // 24 mov dx,0x3F8
        0xEC,                   // 27 in al,dx
        0x3C, 0x71,             // 28 cmp al,'q'
        0x74, 0x05,             // 2A je off
        0xE8, 0x1D, 0x00,       // 2C call putc
        0xEB, 0xE2,             // 2F jmp loop
        0xBE, 0x6B, 0x7C,       // 31 off: mov si,0x7C6B (power-off line)
        0xE8, 0x0A, 0x00,       // 34 call puts
        0xBA, 0x04, 0x06,       // 37 mov dx,0x604 (PM1_CNT)
        0xB8, 0x00, 0x20,       // 3A mov ax,0x2000 (SLP_EN, S5)
        0xEF,                   // 3D out dx,ax
        0xF4,                   // 3E halt: hlt
        0xEB, 0xFD,             // 3F jmp halt
        0xAC,                   // 41 puts: lodsb
        0x84, 0xC0,             // 42 test al,al
        0x74, 0x05,             // 44 jz done
        0xE8, 0x03, 0x00,       // 46 call putc
        0xEB, 0xF6,             // 49 jmp puts
        0xC3,                   // 4B done: ret
        0x50,                   // 4C putc: push ax
        0xBA, 0xFD, 0x03,       // 4D mov dx,0x3FD
        0xEC,                   // 50 tx: in al,dx
        0xA8, 0x20,             // 51 test al,0x20 (transmitter empty)
        0x74, 0xFB,             // 53 jz tx
        0x58,                   // 55 pop ax
        0xBA, 0xF8, 0x03,       // 56 mov dx,0x3F8
        0xEE,                   // 59 out dx,al
        0xC3,                   // 5A ret
    };                          // 5B banner, 6B power-off line

    private EchoBootSector() {
    }

    /** Writes a 1 MiB raw disk whose first sector is the echo program. */
    static Path write(Path file) throws IOException {
        return Files.write(file, disk(CODE, BANNER));
    }

    /** Writes a 1 MiB raw disk whose first sector is the power-button-aware echo program (q35 only). */
    public static Path writePowerButtonAware(Path file) throws IOException {
        return Files.write(file, disk(POWER_BUTTON_CODE, BANNER + "\0" + POWER_OFF));
    }

    private static byte[] disk(int[] code, String strings) {
        byte[] disk = new byte[1024 * 1024];
        for (int i = 0; i < code.length; i++) {
            disk[i] = (byte) code[i];
        }
        byte[] text = strings.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, disk, code.length, text.length); // NUL-terminated by the zeroed buffer
        disk[510] = 0x55;
        disk[511] = (byte) 0xAA;
        return disk;
    }
}
