package dev.farad.server;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the broker's TLS certificate and private key come from: a PKCS#12 key store (made with
 * {@code keytool -genkeypair -storetype PKCS12} or {@code openssl pkcs12 -export}) holding one
 * private key entry and its certificate chain. The broker offers TLS 1.3 and TLS 1.2 only.
 *
 * <p>{@link #toString()} never shows the password. Immutable apart from the password array, which
 * the broker only reads; thread-safe.
 *
 * @param keyStore the PKCS#12 file
 * @param password the key store's password (also used for the key entry)
 */
public record TlsConfig(Path keyStore, char[] password) {

    public TlsConfig {
        Objects.requireNonNull(keyStore, "keyStore");
        password = Objects.requireNonNull(password, "password").clone();
    }

    /** A copy of the password; the caller should clear it after use. */
    @Override
    public char[] password() {
        return password.clone();
    }

    @Override
    public String toString() {
        return "TlsConfig[keyStore=" + keyStore + ", password=****]";
    }
}
