package dev.farad.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Throwaway TLS material for tests: a self-signed EC certificate for {@code localhost} and
 * {@code 127.0.0.1}, made at test time by the JDK's {@code keytool}, valid for two days.
 *
 * <pre>{@code
 * TestCertificates certs = TestCertificates.generate(tempDir);
 * BrokerConfig.builder().tls(new TlsConfig(certs.keyStore(), certs.password()))...
 * client.setSslContext(TrustStores.load(certs.trustStore(), certs.password()));
 * }</pre>
 *
 * <p>Thread-safe (immutable).
 *
 * @param keyStore PKCS#12 file with the private key and certificate (for the broker)
 * @param trustStore PKCS#12 file with only the certificate (for clients)
 * @param password the password of both files
 */
public record TestCertificates(Path keyStore, Path trustStore, char[] password) {

    /** Generates a fresh key pair and certificate in {@code dir}. */
    public static TestCertificates generate(Path dir) {
        String pw = "test-" + Long.toHexString(System.nanoTime());
        Path keyStore = dir.resolve("server.p12");
        Path trustStore = dir.resolve("trust.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(List.of(keytool, "-genkeypair", "-alias", "farad", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "san=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", pw, "-keypass", pw));
        try {
            KeyStore ks = KeyStore.getInstance(keyStore.toFile(), pw.toCharArray());
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("farad", ks.getCertificate("farad"));
            try (OutputStream out = Files.newOutputStream(trustStore)) {
                trust.store(out, pw.toCharArray());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the test trust store", e);
        }
        return new TestCertificates(keyStore, trustStore, pw.toCharArray());
    }

    private static void run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + new String(output, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run keytool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running keytool", e);
        }
    }
}
