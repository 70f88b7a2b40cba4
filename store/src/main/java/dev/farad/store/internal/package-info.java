/**
 * Machinery of the file transaction log: the on-disk format ({@link dev.farad.store.internal.LogFormat}),
 * segment bookkeeping, the streaming record cursor, recovery and the reader. Not API: types here are
 * public only so that {@code dev.farad.store} can use them, and may change at any time.
 */
package dev.farad.store.internal;
