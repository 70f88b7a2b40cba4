/**
 * Test fixtures shared by Farad's modules: a JUnit 5 extension that runs the real broker on an
 * ephemeral loopback port, a scripted broker that injects protocol faults, and a fault proxy that
 * cuts or blackholes links. Never depends on the client, so the client can use it in test scope.
 */
package dev.farad.testsupport;
