package io.qemucompose.spec;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Decodes a file as strict UTF-8. {@code Files.readString} only says "Input length = 1"; a user
 * needs to know where the bad byte is, so the problem names its line and column.
 */
final class Utf8Text {
    private Utf8Text() {}

    static Optional<String> decode(Path file, byte[] bytes, Problems problems) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            out.flip();
            int line = 1;
            int column = 1;
            for (int i = 0; i < out.limit(); i++) {
                if (out.get(i) == '\n') {
                    line++;
                    column = 1;
                } else if (!Character.isLowSurrogate(out.get(i))) {
                    column++;
                }
            }
            int bad = in.position() < bytes.length ? bytes[in.position()] & 0xff : -1;
            problems.add(new Problem(file, line, column, "", "is not valid UTF-8"
                    + (bad < 0 ? " (the file ends inside a character)" : ": found byte 0x"
                            + String.format("%02X", bad))
                    + "; save the file as UTF-8"));
            return Optional.empty();
        }
        out.flip();
        return Optional.of(out.toString());
    }
}
