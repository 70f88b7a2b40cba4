package dev.farad.client.internal;

import dev.farad.protocol.FaradUri;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * The client side of {@code tcps}: the JDK's TLS (1.3 and 1.2), the server's certificate verified
 * against the trust store and the URI's host name.
 *
 * <p>Thread-safe (stateless).
 */
final class ClientTls {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    private static final long HANDSHAKE_TIMEOUT_MS = 10_000;

    private ClientTls() {}

    static SslHandler handler(SSLContext context, FaradUri uri) {
        SSLContext ctx = context;
        if (ctx == null) {
            try {
                ctx = SSLContext.getDefault();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("this JDK has no default TLS context", e);
            }
        }
        SSLEngine engine = ctx.createSSLEngine(uri.host(), uri.port());
        engine.setUseClientMode(true);
        SSLParameters p = engine.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS"); // check the certificate names this host
        p.setProtocols(PROTOCOLS);
        engine.setSSLParameters(p);
        SslHandler handler = new SslHandler(engine);
        handler.setHandshakeTimeoutMillis(HANDSHAKE_TIMEOUT_MS);
        return handler;
    }

    /** Waits for the TLS handshake, if the channel has one; the failure, or {@code null}. */
    static Throwable awaitHandshake(SslHandler tls) {
        if (tls == null) {
            return null;
        }
        Future<Channel> done = tls.handshakeFuture();
        if (!done.awaitUninterruptibly(HANDSHAKE_TIMEOUT_MS + 1000, TimeUnit.MILLISECONDS)) {
            return new javax.net.ssl.SSLException("no TLS handshake within " + HANDSHAKE_TIMEOUT_MS + " ms");
        }
        return done.isSuccess() ? null : done.cause();
    }
}
