package dev.farad.filter.internal;

import java.nio.charset.StandardCharsets;

/** Decoding of JSON string contents that contain escapes; only called for such strings. */
final class JsonStrings {

    private JsonStrings() {
    }

    /**
     * Decodes the content of a JSON string, {@code b[from, to)} without the quotes, whose escapes
     * {@link JsonScanner} has already validated.
     */
    static String unescape(byte[] b, int from, int to) {
        StringBuilder sb = new StringBuilder(to - from);
        int runStart = from;
        int p = from;
        while (p < to) {
            if (b[p] != '\\') {
                p++;
                continue;
            }
            sb.append(new String(b, runStart, p - runStart, StandardCharsets.UTF_8));
            byte e = b[p + 1];
            p += 2;
            switch (e) {
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    sb.append((char) Integer.parseInt(new String(b, p, 4, StandardCharsets.US_ASCII), 16));
                    p += 4;
                }
                default -> sb.append((char) e);
            }
            runStart = p;
        }
        sb.append(new String(b, runStart, to - runStart, StandardCharsets.UTF_8));
        return sb.toString();
    }
}
