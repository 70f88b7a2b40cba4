package dev.farad.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farad.protocol.AckType;
import dev.farad.protocol.Command;
import dev.farad.protocol.Header;
import dev.farad.protocol.Reason;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EntitlementsTest {
    private static final int PROCESSED = AckType.PROCESSED.bit();
    private static Broker broker;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        Users users = new Users()
                .user("admin", "pw-admin").line("read admin .*").line("write admin .*")
                .user("eu", "pw-eu")
                .line("read  eu orders\\..*   /region = 'EU'")
                .line("read  eu quotes")
                .line("write eu orders\\.eu")
                .user("reader", "pw-reader").line("read reader orders\\..*")
                .user("nobody", "pw-nobody");
        broker = Broker.start(TestConfigs.builder().port(0).usersFile(users.writeTo(dir))
                .sowTopic(SowTopicConfig.keyed("orders\\..*", "/id"))
                .sowTopic(SowTopicConfig.keyed("secret", "/id"))
                .build());
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static RawConnection logon(String name, String user) {
        RawConnection c = new RawConnection(broker.port());
        assertThat(c.logon(name, user, "pw-" + user).status()).isEqualTo("success");
        return c;
    }

    private static Header command(RawConnection c, Header h, String data) {
        String cid = c.nextCommandId();
        c.send(h.commandId(cid).ackTypes(PROCESSED), data);
        return c.awaitAck(cid);
    }

    private static Header publish(RawConnection c, String topic, String data) {
        return command(c, new Header().command(Command.PUBLISH).topic(topic), data);
    }

    private static Header subscribe(RawConnection c, Command cmd, String topic, String subId) {
        return command(c, new Header().command(cmd).topic(topic).subId(subId), null);
    }

    @Test
    void shouldRefuseWritesOutsideTheGrantsAndAllowThoseInside() {
        try (RawConnection eu = logon("w-eu", "eu")) {
            assertThat(publish(eu, "orders.us", "{\"id\":1}").reason()).isEqualTo(Reason.NOT_ENTITLED);
            assertThat(command(eu, new Header().command(Command.DELTA_PUBLISH).topic("quotes"), "{}").reason())
                    .isEqualTo(Reason.NOT_ENTITLED);
            assertThat(command(eu, new Header().command(Command.SOW_DELETE).topic("secret").filter("1 = 1"), null)
                    .reason()).isEqualTo(Reason.NOT_ENTITLED);
            assertThat(publish(eu, "orders.eu", "{\"id\":1,\"region\":\"EU\"}").status()).isEqualTo("success");
            assertThat(command(eu, new Header().command(Command.SOW_DELETE).topic("orders.eu").sowKeys("nope"), null)
                    .status()).isEqualTo("success");
        }
        try (RawConnection nobody = logon("w-nobody", "nobody")) {
            assertThat(publish(nobody, "anything", "{}").reason()).isEqualTo(Reason.NOT_ENTITLED);
            assertThat(subscribe(nobody, Command.SUBSCRIBE, "anything", "s").reason()).isEqualTo(Reason.NOT_ENTITLED);
        }
    }

    @Test
    void shouldRefuseReadsOutsideTheGrants() {
        try (RawConnection eu = logon("r-eu", "eu")) {
            for (Command cmd : new Command[] {Command.SUBSCRIBE, Command.DELTA_SUBSCRIBE, Command.SOW,
                Command.SOW_AND_SUBSCRIBE, Command.SOW_AND_DELTA_SUBSCRIBE}) {
                assertThat(subscribe(eu, cmd, "secret", "s-" + cmd).reason()).as(cmd.toString())
                        .isEqualTo(Reason.NOT_ENTITLED);
            }
            assertThat(subscribe(eu, Command.SUBSCRIBE, "quotes", "q").status()).isEqualTo("success");
        }
    }

    @Test
    void shouldAndTheReadFilterIntoSubscriptions() {
        try (RawConnection admin = logon("f-admin", "admin"); RawConnection eu = logon("f-eu", "eu")) {
            assertThat(subscribe(eu, Command.SUBSCRIBE, "orders.fx", "s").status()).isEqualTo("success");
            publish(admin, "orders.fx", "{\"id\":1,\"region\":\"US\"}");
            publish(admin, "orders.fx", "{\"id\":2,\"region\":\"EU\"}");
            assertThat(eu.awaitDeliveries(1)).containsExactly("{\"id\":2,\"region\":\"EU\"}");
            assertThat(eu.read(Duration.ofMillis(200))).isNull();
        }
    }

    @Test
    void shouldDeliverRegexSubscriptionsOnlyFromReadableTopics() {
        try (RawConnection admin = logon("x-admin", "admin"); RawConnection reader = logon("x-reader", "reader");
                RawConnection eu = logon("x-eu", "eu")) {
            assertThat(subscribe(reader, Command.SUBSCRIBE, ".*", "every").status()).isEqualTo("success");
            assertThat(subscribe(eu, Command.SUBSCRIBE, "(orders|secret|quotes).*", "every").status())
                    .isEqualTo("success");
            publish(admin, "secret", "{\"id\":1,\"region\":\"EU\"}");
            publish(admin, "orders.x", "{\"id\":2,\"region\":\"US\"}");
            publish(admin, "quotes", "{\"q\":3}");
            publish(admin, "orders.x", "{\"id\":4,\"region\":\"EU\"}");
            assertThat(reader.awaitDeliveries(2)).containsExactly("{\"id\":2,\"region\":\"US\"}",
                    "{\"id\":4,\"region\":\"EU\"}");
            assertThat(eu.awaitDeliveries(2)).containsExactly("{\"q\":3}", "{\"id\":4,\"region\":\"EU\"}");
            assertThat(reader.read(Duration.ofMillis(200))).isNull();
            assertThat(eu.read(Duration.ofMillis(50))).isNull();
        }
    }

    @Test
    void shouldReturnOnlyEntitledRecordsFromRegexQueries() {
        try (RawConnection admin = logon("q-admin", "admin"); RawConnection eu = logon("q-eu", "eu")) {
            publish(admin, "secret", "{\"id\":1,\"region\":\"EU\"}");
            publish(admin, "orders.q", "{\"id\":2,\"region\":\"US\"}");
            publish(admin, "orders.q", "{\"id\":3,\"region\":\"EU\"}");
            Header ack = command(eu, new Header().command(Command.SOW).topic("(orders\\.q|secret)"), null);
            assertThat(ack.status()).isEqualTo("success");
            assertThat(SowTest.readQuery(eu).data()).containsExactly("{\"id\":3,\"region\":\"EU\"}");
            ack = command(eu, new Header().command(Command.SOW).topic("orders.q"), null);
            assertThat(ack.status()).isEqualTo("success");
            assertThat(SowTest.readQuery(eu).data()).containsExactly("{\"id\":3,\"region\":\"EU\"}");
        }
    }

    @Test
    void shouldSendOutOfFocusNoticesOnlyForRecordsTheUserCouldSee() {
        try (RawConnection admin = logon("o-admin", "admin"); RawConnection eu = logon("o-eu", "eu")) {
            publish(admin, "orders.oof", "{\"id\":1,\"region\":\"US\"}");
            publish(admin, "orders.oof", "{\"id\":2,\"region\":\"EU\"}");
            Header ack = command(eu, new Header().command(Command.SUBSCRIBE).topic("orders\\.oo.*").subId("o")
                    .options("oof"), null);
            assertThat(ack.status()).isEqualTo("success");
            command(admin, new Header().command(Command.SOW_DELETE).topic("orders.oof").filter("/id > 0"), null);
            Header oof = eu.awaitFrame(h -> h.command() == Command.OOF);
            assertThat(oof).isNotNull();
            assertThat(oof.sowKey()).isNotNull();
            assertThat(eu.read(Duration.ofMillis(200))).as("no notice for the US record").isNull();
        }
    }

    @Test
    void shouldDeleteOnlyFromWritableTopicsThroughARegex() {
        try (RawConnection admin = logon("d-admin", "admin"); RawConnection eu = logon("d-eu", "eu")) {
            publish(admin, "orders.eu", "{\"id\":10,\"region\":\"EU\"}");
            publish(admin, "orders.de", "{\"id\":10,\"region\":\"EU\"}");
            assertThat(command(eu, new Header().command(Command.SOW_DELETE).topic("orders\\..*").filter("/id = 10"),
                    null).status()).isEqualTo("success");
            command(admin, new Header().command(Command.SOW).topic("orders\\.(eu|de)").filter("/id = 10"), null);
            assertThat(SowTest.readQuery(admin).data()).containsExactly("{\"id\":10,\"region\":\"EU\"}");
        }
    }

    @Test
    void shouldNotLetAnotherUserTakeAConnectedPublishersName() {
        try (RawConnection publisher = logon("order-router", "admin")) {
            try (RawConnection thief = new RawConnection(broker.port())) {
                Header ack = thief.logon("order-router", "reader", "pw-reader");
                assertThat(ack.status()).isEqualTo("failure");
                assertThat(ack.reason()).isEqualTo(Reason.NAME_IN_USE);
            }
            assertThat(publish(publisher, "orders.eu", "{\"id\":99}").status()).isEqualTo("success");
        }
        try (RawConnection later = new RawConnection(broker.port())) {
            assertThat(later.logon("order-router", "reader", "pw-reader").status()).isEqualTo("success");
        }
    }
}
