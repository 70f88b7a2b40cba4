package dev.farad.server.internal;

import dev.farad.server.TlsConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;
import javax.net.ssl.KeyManagerFactory;

/**
 * Builds the listener's TLS context from a PKCS#12 key store, with the JDK's TLS implementation,
 * TLS 1.3 and 1.2 only.
 *
 * <p>Thread-safe (stateless).
 */
final class ServerTls {
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private ServerTls() {}

    /**
     * Loads the key store and makes a server context.
     *
     * @throws IllegalArgumentException naming the key store file and the problem
     */
    static SslContext context(TlsConfig config) {
        char[] password = config.password();
        try (InputStream in = Files.newInputStream(config.keyStore())) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password);
            return SslContextBuilder.forServer(kmf).sslProvider(SslProvider.JDK).protocols(PROTOCOLS)
                    .clientAuth(ClientAuth.NONE).build();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot load TLS key store " + config.keyStore() + ": "
                    + e.getMessage(), e);
        } finally {
            Arrays.fill(password, '\0');
        }
    }
}
