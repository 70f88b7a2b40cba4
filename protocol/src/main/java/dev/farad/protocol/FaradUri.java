package dev.farad.protocol;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed connection string: {@code transport://[user[:password]@]host:port/amps/<message type>[?opts]},
 * for example {@code tcp://127.0.0.1:9007/amps/json}.
 *
 * <p>Transports are {@code tcp} and {@code tcps} (TLS). The path names the protocol ({@code amps})
 * and the message type ({@code json}). {@link #toString()} never shows the password.
 *
 * <p>Immutable; thread-safe.
 *
 * @param transport {@code tcp} or {@code tcps}
 * @param host host name or address
 * @param port TCP port
 * @param user user from the URI, or {@code null}
 * @param password password from the URI, or {@code null}
 * @param messageType the message type from the path, e.g. {@code json}
 * @param options the query options, in order
 */
public record FaradUri(String transport, String host, int port, String user, String password,
        String messageType, Map<String, String> options) {

    /** The default broker port. */
    public static final int DEFAULT_PORT = 9007;

    public FaradUri {
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /**
     * Parses a connection string.
     *
     * @throws IllegalArgumentException naming what is wrong with it (the password is never shown)
     */
    public static FaradUri parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("connection URI is empty");
        }
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("connection URI is malformed: " + redact(text)
                    + " (" + e.getReason() + ")");
        }
        String transport = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (transport == null) {
            throw new IllegalArgumentException("connection URI " + redact(text)
                    + " has no transport: expected tcp://host:port/amps/json");
        }
        if (!transport.equals("tcp") && !transport.equals("tcps")) {
            throw new UnsupportedTransportException(transport);
        }
        String host = uri.getHost();
        if (host == null || uri.getPort() < 0) {
            throw new IllegalArgumentException("connection URI " + redact(text)
                    + " must name a host and a port: tcp://host:port/amps/json");
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        String[] parts = path.split("/");
        if (parts.length != 3 || !parts[1].equals("amps") || parts[2].isEmpty()) {
            throw new IllegalArgumentException("connection URI " + redact(text)
                    + " must have the path /amps/<message type>, e.g. /amps/json, but had '" + path + "'");
        }
        String user = null;
        String password = null;
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
        }
        Map<String, String> options = new LinkedHashMap<>();
        String query = uri.getRawQuery();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                options.put(decode(eq < 0 ? pair : pair.substring(0, eq)),
                        eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return new FaradUri(transport, host, uri.getPort(), user, password, parts[2], options);
    }

    /** Whether this URI asks for TLS. */
    public boolean isTls() {
        return transport.equals("tcps");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** The URI text with any password replaced by {@code ****}. */
    public static String redact(String text) {
        return text.replaceAll("(://[^:/@]*:)[^@/]*@", "$1****@");
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(transport).append("://");
        if (user != null) {
            sb.append(user);
            if (password != null) {
                sb.append(":****");
            }
            sb.append('@');
        }
        sb.append(host).append(':').append(port).append("/amps/").append(messageType);
        return sb.toString();
    }

    /** A URI whose transport is not {@code tcp} or {@code tcps}. */
    public static final class UnsupportedTransportException extends IllegalArgumentException {
        public UnsupportedTransportException(String transport) {
            super("transport '" + transport + "' is not supported: use tcp or tcps");
        }
    }
}
