package dev.farad.server.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges a {@code delta_publish} into the stored record: fields of the delta replace those of the
 * record, nested objects merge recursively, {@code null} fields in the delta are ignored. Used
 * only on the delta path, never for plain publishes.
 */
final class JsonMerge {
    private static final JsonFactory JSON = new JsonFactory();

    private JsonMerge() {}

    /**
     * Returns the merged document.
     *
     * @throws IllegalArgumentException when either side is not a JSON object
     */
    static byte[] merge(byte[] record, byte[] delta) {
        Map<String, Object> base = readObject(record);
        Map<String, Object> changes = readObject(delta);
        mergeInto(base, changes);
        ByteArrayOutputStream out = new ByteArrayOutputStream(record.length + delta.length);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            write(g, base);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    @SuppressWarnings("unchecked")
    private static void mergeInto(Map<String, Object> base, Map<String, Object> changes) {
        for (Map.Entry<String, Object> e : changes.entrySet()) {
            Object v = e.getValue();
            if (v == null) {
                continue;
            }
            Object old = base.get(e.getKey());
            if (old instanceof Map && v instanceof Map) {
                mergeInto((Map<String, Object>) old, (Map<String, Object>) v);
            } else {
                base.put(e.getKey(), v);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readObject(byte[] json) {
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            return (Map<String, Object>) readValue(p, p.currentToken());
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getMessage(), e);
        }
    }

    private static Object readValue(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT: {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    m.put(name, readValue(p, p.nextToken()));
                }
                return m;
            }
            case START_ARRAY: {
                List<Object> l = new ArrayList<>();
                JsonToken n;
                while ((n = p.nextToken()) != JsonToken.END_ARRAY) {
                    l.add(readValue(p, n));
                }
                return l;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return new RawNumber(p.getText());
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new IllegalArgumentException("unexpected JSON token " + t);
        }
    }

    /** A number kept as its text, so merging never changes its precision. */
    private record RawNumber(String text) {}

    @SuppressWarnings("unchecked")
    private static void write(JsonGenerator g, Object v) throws IOException {
        if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<String, Object> e : ((Map<String, Object>) m).entrySet()) {
                g.writeFieldName(e.getKey());
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List<?> l) {
            g.writeStartArray();
            for (Object o : l) {
                write(g, o);
            }
            g.writeEndArray();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof RawNumber n) {
            g.writeNumber(n.text());
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else {
            g.writeNull();
        }
    }
}
