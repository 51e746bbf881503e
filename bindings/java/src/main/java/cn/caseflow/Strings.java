package cn.caseflow;

import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** UTF-8 by hand at the boundary: the platform's default charset never decides. */
final class Strings {
    private Strings() {}

    /** NUL-terminated UTF-8. An embedded NUL would silently cut the text short, so it is refused. */
    static byte[] utf8(String text, String parameter) {
        Objects.requireNonNull(text, parameter);
        if (text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(parameter + " contains a NUL character");
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        byte[] terminated = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, terminated, 0, bytes.length);
        return terminated;
    }

    /** Reads a NUL-terminated UTF-8 string the library owns without freeing it (static strings). */
    static String read(Pointer text) {
        if (text == null) {
            return null;
        }
        long length = text.indexOf(0, (byte) 0);
        return new String(text.getByteArray(0, (int) length), StandardCharsets.UTF_8);
    }

    /** Reads a string the library returned, then frees it with caseflow_string_free. */
    static String take(Pointer text) {
        if (text == null) {
            return null;
        }
        try {
            return read(text);
        } finally {
            NativeLibrary.LIB.caseflow_string_free(text);
        }
    }
}
