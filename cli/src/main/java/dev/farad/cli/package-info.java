/**
 * The {@code farad} command line: one small picocli command per verb ({@code server}, {@code
 * publish}, {@code subscribe}, {@code ping}, ...), each delegating to the client or the broker.
 * Errors print one line on stderr and exit non-zero.
 */
package dev.farad.cli;
