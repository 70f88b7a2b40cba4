/**
 * The examples of the error-handling chapter (5.1 to 5.7), written for Farad's Java client. Each
 * class has a {@code main} that runs against a broker on {@code tcp://127.0.0.1:9007/amps/json}
 * (or the URI given as the first argument), and a method the tests call.
 */
package dev.farad.examples;
