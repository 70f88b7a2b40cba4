package dev.farad.client;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Makes the TLS context a {@link Client} uses to verify a broker's certificate from a trust store
 * file (PKCS#12 or JKS, detected from the content).
 *
 * <pre>{@code
 * client.setSslContext(TrustStores.load(Path.of("broker-ca.p12"), "changeit".toCharArray()));
 * client.connect("tcps://broker.example.com:9007/amps/json");
 * }</pre>
 *
 * <p>Thread-safe (stateless).
 */
public final class TrustStores {
    private TrustStores() {}

    /**
     * A TLS context that trusts exactly the certificates in {@code trustStore}.
     *
     * @param password the store's password, or {@code null} if it has none
     * @throws IllegalArgumentException naming the file when it cannot be read
     */
    public static SSLContext load(Path trustStore, char[] password) {
        Objects.requireNonNull(trustStore, "trustStore");
        try {
            KeyStore ks = KeyStore.getInstance(trustStore.toFile(), password);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot load trust store " + trustStore + ": " + e.getMessage(), e);
        }
    }
}
