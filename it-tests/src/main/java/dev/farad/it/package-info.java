/**
 * Integration and fault tests for Farad, and {@link dev.farad.it.BrokerMain}, the launcher that runs a
 * broker in its own JVM so a test can kill it with {@code kill -9}.
 */
package dev.farad.it;
