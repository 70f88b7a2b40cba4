/**
 * Farad's storage: the durable, segmented transaction log ({@link dev.farad.store.TransactionLog},
 * {@link dev.farad.store.FileTransactionLog}), bookmark text ({@link dev.farad.store.Bookmarks}), and the
 * keyed in-memory State of the World of each SOW topic ({@link dev.farad.store.SowStore} of
 * {@link dev.farad.store.SowRecord}s), which the broker rebuilds from the log after a restart.
 *
 * <p>The log is the broker's single source of order: every record carries one log sequence, assigned
 * by {@link dev.farad.store.TransactionLog#append}, and records are self-contained so the log can later
 * be replicated record by record. The on-disk format is described in {@link dev.farad.store.internal.LogFormat}
 * and in {@code docs/STORAGE.md}.
 *
 * <p>Code is non-null by default; parameters and accessors that may be {@code null} say so.
 * Machinery lives in {@code dev.farad.store.internal} and is not API.
 */
package dev.farad.store;
