package dev.farad.cli;

import dev.farad.client.Client;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Options every client-side command shares: where the broker is and who we are. */
final class ConnectionOptions {
    @Option(names = {"-u", "--uri"}, defaultValue = "tcp://127.0.0.1:9007/amps/json",
            description = "broker URI (default: ${DEFAULT-VALUE})")
    String uri;

    @Option(names = "--name", description = "client name (default: farad-cli-<pid>)")
    String name;

    @Option(names = "--trust-store", paramLabel = "PATH",
            description = "for tcps: trust only the certificates in this PKCS#12 or JKS file (default: the JDK's CAs)")
    java.nio.file.Path trustStore;

    @Option(names = "--trust-store-password", paramLabel = "PASSWORD",
            description = "the trust store's password (it holds only public certificates)")
    String trustStorePassword;

    @Option(names = "--timeout", defaultValue = "PT5S", description = "how long to wait for the broker (default: ${DEFAULT-VALUE})")
    Duration timeout;

    /** A client that is connected and logged on; the caller closes it. */
    Client connect(String role) {
        Client client = new Client(name != null ? name : "farad-cli-" + role + "-" + ProcessHandle.current().pid());
        try {
            if (trustStore != null) {
                client.setSslContext(dev.farad.client.TrustStores.load(trustStore,
                        trustStorePassword == null ? null : trustStorePassword.toCharArray()));
            }
            client.connect(uri);
            client.logon(timeout);
            return client;
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }
}
